"""The desk as the commands spell it: ``hkdesk record --publish``, ``hkdesk --url nats://`` and
``hkdesk record --url nats://``, over the real simulator, NATS and databases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from support.desks import make_desk
from support.waits import wait_until

from hkdesk.domain.freshness import Freshness
from hkdesk.store import make_engine
from hkdesk.store.history import count_ticks


def hkdesk(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "hkdesk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


async def test_a_desk_server_feeds_a_desktop_and_a_second_site_s_recorder(
    qtbot, tmp_path, nats_url, desk_name
):
    server = hkdesk(
        "record", "--symbols", "700,5,9988", "--db", f"sqlite:///{tmp_path / 'desk.db'}",
        "--publish", nats_url, "--desk", desk_name, "--duration", "60", "--progress-every", "1",
    )  # fmt: skip
    try:
        desk = make_desk(tmp_path / "cfg", None, url=nats_url, desk=desk_name, token=None)
        win = await desk.open()
        try:
            hub = desk.market.hub

            # a book alone (painted from the latest-quote bucket) is live before the first trade
            def traded_live() -> bool:
                quote = hub.quotes.get("700.HK")
                live = hub.freshness("700.HK").state is Freshness.LIVE
                return live and quote is not None and quote.last is not None

            await wait_until(traded_live, 40, "a live trade from the desk")
            assert desk.market.source_text == f"Shared desk ({desk_name})"
            assert win.model.rowCount()
            witness = hkdesk(
                "record", "--url", nats_url, "--desk", desk_name, "--symbols", "700",
                "--db", f"sqlite:///{tmp_path / 'witness.db'}", "--duration", "4",
            )  # fmt: skip
            _, err = await asyncio.to_thread(witness.communicate, timeout=60)
            assert witness.returncode == 0, err[-2000:]
        finally:
            await desk.close()
    finally:
        server.terminate()
        out_server, err_server = server.communicate(timeout=60)
    assert "leading" in out_server, err_server[-2000:]
    witness_db = make_engine(f"sqlite:///{tmp_path / 'witness.db'}")
    desk_db = make_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    try:
        recorded = count_ticks(witness_db, "700.HK")
        assert recorded > 0 and count_ticks(desk_db, "700.HK") >= recorded
    finally:
        witness_db.dispose()
        desk_db.dispose()
