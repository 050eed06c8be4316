"""Least privilege on the desk's own nats-server: the desk publishes, a desktop only reads and
announces its own demand, an anonymous client is refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import nats
import pytest
from deskkit import NatsProcess, Received, UpstreamFactory, free_port, ticks
from nats.errors import NoServersError
from support.waits import wait_until

from hkdesk.desk import codec
from hkdesk.desk.connection import NatsOptions, connect_nats
from hkdesk.desk.feed import DeskFeed
from hkdesk.desk.feed_status import DeskFeedTimings
from hkdesk.desk.security import TlsFiles, User, server_config
from hkdesk.desk.server import DeskServer, DeskTimings
from hkdesk.desk.subjects import DeskNames
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedState

DESK = "secure"
NAMES = DeskNames(DESK)
PLAN = Plan("test", symbols_per_connection=5, connections=1, reconnect_spacing=0.05)


@pytest.fixture
def secured_nats(nats_binary, tmp_path):
    port = free_port()
    config = server_config(
        DESK,
        desk_password="desk-pw",
        desktops=[User("alice", "alice-pw"), User("bob", "bob-pw")],
        listen=f"127.0.0.1:{port}",
        store_dir=str(tmp_path / "js"),
    )
    server = NatsProcess(nats_binary, config, tmp_path, port).start()
    yield server
    server.stop()


def url(server: NatsProcess, user: str, password: str) -> str:
    return f"nats://{user}:{password}@127.0.0.1:{server.port}"


async def test_the_generated_configuration_is_valid_for_nats_server(nats_binary, tmp_path):
    import subprocess

    conf = tmp_path / "desk.conf"
    conf.write_text(server_config("main", desk_password="p", desktops=[User("d1", "x")]), encoding="utf-8")
    result = subprocess.run([nats_binary, "-t", "-c", str(conf)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


async def test_anonymous_and_wrong_password_are_refused(secured_nats):
    for bad in (secured_nats.url, url(secured_nats, "alice", "wrong")):
        with pytest.raises((NoServersError, nats.errors.Error, OSError)) as refused:
            await nats.connect(bad, allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2)
        assert "authorization" in str(refused.value).lower() or isinstance(refused.value, NoServersError)


async def test_desk_and_desktop_work_with_their_own_rights_and_no_more(secured_nats):
    factory = UpstreamFactory()
    timings = DeskTimings(demand_lease=2.0, heartbeat=0.2, latest_interval=0.05, ack_timeout=0.5)
    server = DeskServer(
        desk=DESK,
        nats_options=NatsOptions(url(secured_nats, "desk", "desk-pw")),
        plan=PLAN,
        upstream_factory=factory,
        writer=None,
        timings=timings,
    )
    server_task = asyncio.create_task(server.run())
    await wait_until(lambda: server.is_leader and factory.made, what="the desk to lead")
    received = Received()
    feed = DeskFeed(
        url(secured_nats, "alice", "alice-pw"),
        desk=DESK,
        desktop_id="alice",
        timings=DeskFeedTimings(heartbeat=0.2, demand_refresh=0.5, leader_poll=0.1),
        **received.callbacks(),
    )
    feed.set_symbols(["700.HK"])
    feed_task = asyncio.create_task(feed.run())
    await wait_until(lambda: factory.current.symbols == ("700.HK",), what="alice's demand to reach the desk")
    await wait_until(lambda: received.state is FeedState.LIVE, what="alice live")
    factory.current.push(ticks("700.HK", 1, 5))
    await wait_until(lambda: len(received.ticks) == 5, what="alice's first ticks")
    await wait_until(lambda: server.publisher.live.client is not None, what="the desk's live link")
    for seq in range(6, 11):  # alice may follow the live subject too
        factory.current.push(ticks("700.HK", seq, 1))
        await wait_until(lambda seq=seq: len(received.ticks) == seq, what=f"alice's tick {seq}")
    assert feed.live.taken > 0

    # Alice's own credentials, used directly: every write beyond her demand key is refused.
    errors: list[str] = []

    async def on_error(exc: Exception) -> None:
        errors.append(str(exc).lower())

    nc = await nats.connect(url(secured_nats, "alice", "alice-pw"), error_cb=on_error)
    js = nc.jetstream()
    forged = codec.encode(ticks("700.HK", 99, 1)[0])
    await nc.publish(NAMES.trade_subject("700.HK"), forged)
    await nc.publish(f"$KV.{NAMES.latest_bucket}.700=2EHK", b"{}")
    await nc.publish(f"$KV.{NAMES.demand_bucket}.bob", b'{"trades":["1.HK"]}')
    await nc.publish(f"$JS.API.STREAM.PURGE.{NAMES.stream}", b"")
    chains = server.publisher.chains  # a live message alice would be shown, were it allowed
    runs = chains.number_ticks(ticks("700.HK", 99, 1)).runs
    await nc.publish(NAMES.live_subject, chains.live_messages(runs)[0])
    with pytest.raises(nats.errors.TimeoutError):
        await js.publish(NAMES.trade_subject("700.HK"), forged, timeout=1.0)
    await js.publish(f"$KV.{NAMES.demand_bucket}.alice", b'{"trades":["700.HK"]}')  # her own: allowed
    await nc.flush()
    await wait_until(lambda: sum("permissions violation" in e for e in errors) >= 6, what="six refusals")
    assert all("publish" in e for e in errors)

    await asyncio.sleep(0.5)
    assert len(received.ticks) == 10  # the forged trade reached nobody
    desk_nc = await nats.connect(url(secured_nats, "desk", "desk-pw"))
    info = await desk_nc.jetstream().stream_info(NAMES.stream)
    assert info.state.messages == 10  # nor the stream (and the purge was refused)
    bob_demand = await desk_nc.request(
        f"$JS.API.DIRECT.GET.KV_{NAMES.demand_bucket}.$KV.{NAMES.demand_bucket}.bob"
    )
    assert not bob_demand.data  # bob's key was never written
    assert server.union.trades == ("700.HK",)
    await desk_nc.close()
    await nc.close()
    await feed.close()
    await feed_task
    await server.close()
    await server_task


def self_signed(folder: Path) -> tuple[Path, Path]:
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
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path.write_bytes(private)
    return cert_path, key_path


async def test_tls_is_used_and_verified_when_configured(nats_binary, tmp_path):
    cert, key = self_signed(tmp_path)
    port = free_port()
    config = server_config(
        DESK,
        desk_password="desk-pw",
        desktops=[],
        listen=f"127.0.0.1:{port}",
        store_dir=str(tmp_path / "js"),
        tls=TlsFiles(str(cert), str(key)),
    )
    server = NatsProcess(nats_binary, config, tmp_path, port).start()
    try:
        trusted = NatsOptions(f"tls://desk:desk-pw@127.0.0.1:{port}", tls_ca=str(cert))
        nc = await connect_nats(trusted)
        assert nc.is_connected
        await nc.close()
        unverified = NatsOptions(f"tls://desk:desk-pw@127.0.0.1:{port}", connect_timeout=2.0)
        plain = NatsOptions(f"nats://desk:desk-pw@127.0.0.1:{port}", connect_timeout=2.0)
        for refused in (unverified, plain):  # a certificate nobody vouches for; no TLS at all
            with pytest.raises((ssl.SSLError, NoServersError, OSError, nats.errors.Error)):
                await connect_nats(refused)
    finally:
        server.stop()
