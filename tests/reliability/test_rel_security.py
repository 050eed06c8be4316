"""Security rows (engine side): the token never leaks, TLS is always verified, the simulator
listens on loopback only."""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import ipaddress
import logging
import os
import re
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from relkit import TOKEN
from support.waits import wait_until
from websockets.asyncio.server import serve

from hkdesk.feed.client import FeedClient
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import Plan
from hkdesk.feed.session import Session
from hkdesk.feed.status import FeedState, FeedTimings
from hkdesk.sim.cli import build_parser
from hkdesk.sim.process import start_simulator_process
from hkdesk.sim.server import SimServer

PACKAGE = Path(__file__).resolve().parents[2] / "hkdesk"
LOOPBACK = ipaddress.ip_address("127.0.0.1")


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def recorder(args: list[str], tmp_path: Path, token: str | None) -> subprocess.CompletedProcess[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("HKDESK_TOKEN", None)
    if token is not None:
        env["HKDESK_TOKEN"] = token
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(tmp_path / "xdg" / name.lower())
    return subprocess.run(
        [sys.executable, "-m", "hkdesk", "record", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


def test_recorder_never_writes_the_token_anywhere(tmp_path):
    db = tmp_path / "rec.db"
    faults = ["--fault", "drop-every=0.6", "--fault", "reject-symbol=5.HK"]
    with start_simulator_process(["--token", TOKEN, "--rate", "500", *faults]) as sim:
        args = ["--url", sim.ws_url, "--plan", "professional", "--symbols", "700,5,939", "--depth", "5"]
        args += ["--db", f"sqlite:///{db}", "--duration", "2", "--progress-every", "0.3"]
        good = recorder(args, tmp_path, TOKEN)
        wrong = "wr0ng-t0ken-" + TOKEN[::-1]
        bad = recorder(args, tmp_path / "bad", wrong)
    assert good.returncode == 0, good.stderr
    assert re.search(r"done: \d+ ticks received", good.stdout) and "connection lost" in good.stderr
    assert "5.HK" in good.stderr, "the refused symbol was reported (a log line that could leak)"
    assert bad.returncode == 3 and "token invalid" in bad.stderr
    written = files_under(tmp_path)
    assert db in written and any(p.name.endswith("-wal") or p == db for p in written)
    for path in written:
        data = path.read_bytes()
        assert TOKEN.encode() not in data and wrong.encode() not in data, f"token in {path}"
    for out in (good.stdout, good.stderr, bad.stdout, bad.stderr):
        assert TOKEN not in out and wrong not in out


def test_token_is_redacted_from_exceptions_and_status():
    with pytest.raises(ValueError) as info:
        FeedClient(f"http://example.invalid/x?token={TOKEN}", TOKEN, plan=Plan("p", 1, 1, 0), on_ticks=print)
    assert TOKEN not in str(info.value)
    client = FeedClient("ws://127.0.0.1:9/ws", TOKEN, plan=Plan("p", 1, 1, 0), on_ticks=print)
    assert TOKEN not in client.url and TOKEN not in repr(client.status) and TOKEN not in client.status.text()


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509", reason="needs the cryptography package")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(LOOPBACK)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


async def test_wss_to_a_self_signed_server_is_refused_with_a_certificate_error(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handled = []

    async def handler(ws) -> None:
        handled.append(ws)
        await ws.wait_closed()

    statuses = []
    timings = FeedTimings(debounce=0.01, backoff_cap=0.2, open_timeout=2.0)
    async with serve(handler, "127.0.0.1", 0, ssl=context) as server:
        port = server.sockets[0].getsockname()[1]
        client = FeedClient(
            f"wss://127.0.0.1:{port}/quote-stock-b-ws-api",
            TOKEN,
            plan=Plan("tls", 5, 1, 0.05),
            on_ticks=print,
            on_status=statuses.append,
            timings=timings,
        )
        client.set_symbols(["700.HK"])
        task = asyncio.get_running_loop().create_task(client.run())
        await wait_until(lambda: client.stats.connects >= 2, what="two refused attempts")
        await client.close()
        await asyncio.wait_for(task, 3)
    reasons = [s.reason for s in statuses if s.state is FeedState.BACKING_OFF]
    assert reasons and all("certificate verify failed" in r.lower() for r in reasons), reasons
    assert not handled, "no WebSocket session was ever established"
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_no_switch_turns_tls_verification_off():
    for api in (FeedClient.__init__, Session.__init__, QuoteHttp.__init__):
        names = set(inspect.signature(api).parameters)
        assert not {n for n in names if re.search(r"ssl|tls|verify|insecure|cert", n, re.I)}, api
    pattern = re.compile(r"CERT_NONE|check_hostname\s*=\s*False|_create_unverified_context|verify_mode")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "sim" not in p.relative_to(PACKAGE).parts and pattern.search(p.read_text())
    ]
    assert offenders == []


async def test_simulator_listens_on_loopback_by_default():
    assert build_parser().parse_args([]).host == "127.0.0.1"
    assert inspect.signature(SimServer).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(start_simulator_process).parameters["host"].default == "127.0.0.1"
    server = SimServer()
    await server.start()
    try:
        assert {s.getsockname()[0] for s in server._server.sockets} == {"127.0.0.1"}
    finally:
        await server.stop()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the Linux socket table")
def test_simulator_process_binds_only_127_0_0_1():
    with start_simulator_process() as sim:
        port = int(sim.ws_url.split(":")[2].split("/")[0])
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.rsplit(":", 1)
                if state == "0A" and int(hexport, 16) == port:
                    listening.append(address)
    assert listening == ["0100007F"], listening  # 127.0.0.1, nothing on 0.0.0.0 or ::
