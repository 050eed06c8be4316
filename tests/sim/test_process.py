"""The simulator as a child process and its command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
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


PARENT = """
import sys, threading, time
from hkdesk.sim.process import start_simulator_process

started = []
worker = threading.Thread(target=lambda: started.append(start_simulator_process(["--seed", "1"])))
worker.start()
worker.join()  # like the app: started from a worker thread that may end before the parent does
print(started[0].pid, flush=True)
time.sleep(120)
"""


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_the_simulator_never_outlives_its_parent_even_after_sigkill():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        sim_pid = int(parent.stdout.readline())
        time.sleep(1.0)
        assert not _gone(sim_pid), "the end of the starting thread must not stop the simulator"
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 5.0
        while not _gone(sim_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(sim_pid), "the simulator outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()


def test_date_and_start_options_are_checked(capsys):
    assert cli.main(["--date", "2026-03-01"]) == 2  # a Sunday
    assert "not an HKEX trading day" in capsys.readouterr().err
    assert cli.main(["--start", "25:00"]) == 2
    assert cli.main(["--date", "2003-01-02"]) == 2
    assert cli.main(["--clock", "realtime", "--date", "2026-03-02"]) == 2
    assert "demo clock" in capsys.readouterr().err
