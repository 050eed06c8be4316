"""The deployment files are valid: compose YAML, the NATS configuration, the systemd unit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "desk"


def test_compose_runs_nats_postgres_and_two_desk_servers_of_one_desk():
    yaml = pytest.importorskip("yaml", reason="needs PyYAML (pip install '.[test]')")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"nats", "postgres", "desk-a", "desk-b"} <= set(services)
    desks = [services["desk-a"], services["desk-b"]]
    commands = [" ".join(d["command"]) for d in desks]
    assert all(
        "--publish=nats://" in c and "--desk=main" in c and "--db=postgresql+psycopg://" in c
        for c in commands
    )
    assert len({d["command"][-1] for d in desks}) == 2  # different server ids
    assert desks[1]["build"] == desks[0]["build"] and "HKDESK_TOKEN" in desks[1]["environment"]
    assert (DEPLOY / services["desk-a"]["build"]["dockerfile"].removeprefix("deploy/desk/")).exists()


def test_the_nats_configuration_is_valid_with_its_secrets_in_the_environment(nats_binary):
    env = {**os.environ, "DESK_NATS_PASSWORD": "d", "ALICE_NATS_PASSWORD": "a"}
    result = subprocess.run(
        [nats_binary, "-t", "-c", str(DEPLOY / "nats.conf")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "password" in (DEPLOY / "nats.conf").read_text()
        and '"$DESK' not in (DEPLOY / "nats.conf").read_text()
    )


def test_the_systemd_unit_parses():
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(
        [analyze, "verify", str(DEPLOY / "hkdesk-desk.service")], capture_output=True, text=True, check=False
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line  # the program lives on the desk host only
    ]
    assert not problems, problems
