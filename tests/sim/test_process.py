"""The simulator as a child process and its command line."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from hkdesk.feed.alltick import protocol
from hkdesk.sim import cli
from hkdesk.sim.process import SimulatorStartError, start_simulator_process


def test_child_process_serves_the_protocol_and_stops_cleanly():
    with start_simulator_process(["--seed", "3", "--rate", "500", "--token", "tok"]) as sim:
        assert sim.ws_url.startswith("ws://127.0.0.1:") and sim.ws_url.endswith("/quote-stock-b-ws-api")
        assert "token" not in sim.ws_url
        with pytest.raises(InvalidStatus):
            connect(sim.ws_url, open_timeout=5).close()
        with connect(f"{sim.ws_url}?token=tok", open_timeout=5, max_queue=None) as ws:
            ws.send(protocol.subscribe_trades(["700.HK", "HSI"], 1, "s1").decode())
            reply = protocol.decode(ws.recv(timeout=5))
            assert isinstance(reply, protocol.TradesReply) and reply.ok
            tick = protocol.decode(ws.recv(timeout=5))
            assert isinstance(tick, protocol.TradePush) and tick.data.symbol in ("700.HK", "HSI")
        with urllib.request.urlopen(f"{sim.control_url}/status", timeout=5) as response:
            status = json.loads(response.read())
        assert status["token_required"] and status["faults"]["burst_rate"] == 500
        pid_alive = sim.alive()
    assert pid_alive and not sim.alive()
    assert sim.process.returncode == 0  # SIGTERM is an orderly exit


def test_child_process_that_fails_to_start_reports_why():
    with pytest.raises(SimulatorStartError, match="plan"):
        start_simulator_process(["--plan", "platinum"])


def test_cli_rejects_bad_arguments(capsys):
    assert cli.main(["--fault", "explode=1"]) == 2
    assert "bad --fault" in capsys.readouterr().err
    assert cli.main(["--speed", "0"]) == 2
    assert cli.main(["--plan", "platinum"]) == 2
    assert cli.main(["--symbols-file", "/nonexistent/symbols.csv"]) == 2


def test_a_frozen_app_starts_the_simulator_through_its_own_sim_command(monkeypatch):
    """In a frozen build ``sys.executable`` is the app: it takes ``sim``, not ``-m``."""
    import shutil
    import sys

    from hkdesk.sim import process

    app = shutil.which("hkdesk") or str(Path(sys.executable).with_name("hkdesk"))
    if not Path(app).exists():
        pytest.skip("the hkdesk console script is not installed")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", app)
    assert process.simulator_entry() == [app, "sim"]
    with process.start_simulator_process() as sim:
        assert sim.ws_url.startswith("ws://127.0.0.1:")
