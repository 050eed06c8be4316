"""Helpers for driving the real window against the real simulator over loopback."""

from __future__ import annotations

import argparse
import asyncio
import json
import urllib.parse
import urllib.request
from pathlib import Path

from hkdesk.desktop.desk import Desk
from support.timings import WINDOW, WINDOW_PLAN

SIM_ARGS = ["--request-spacing", "0.02", "--seed", "7", "--heartbeat-timeout", "5"]
SYMBOLS = "700,5,9988,1299,939,388,3690,1810"


def options(config_dir: Path, db_url: str | None, **kw) -> argparse.Namespace:
    base = dict(
        quit_after=None,
        screenshot=None,
        db=db_url,
        url=None,
        token=None,
        plan=None,
        config_dir=str(config_dir),
        symbols=SYMBOLS,
    )
    base.update(kw)
    return argparse.Namespace(**base)


def make_desk(config_dir: Path, db_url: str | None, *, sim_url: str | None = None, **kw) -> Desk:
    """A desk on the app's own simulator process, or on ``sim_url`` (a shared one) as an AllTick feed."""
    if sim_url is not None:
        kw.setdefault("url", sim_url)
        kw.setdefault("token", "live-test-token")
    return Desk(options(config_dir, db_url, **kw), timings=WINDOW, sim_args=SIM_ARGS, plan=WINDOW_PLAN)


async def control(control_url: str, name: str, **query: str) -> dict:
    """Call the simulator's control API (``/_sim/<name>?...``) off the event loop."""
    url = f"{control_url}/{name}"
    if query:
        url += "?" + urllib.parse.urlencode(query)

    def get() -> dict:
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.loads(r.read())

    return await asyncio.to_thread(get)
