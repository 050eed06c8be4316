"""Two simulator processes on the same date and seed, started at different times, agree tick for tick."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from simkit import WireClient, http_json

from hkdesk.domain.sessions import HK_TZ
from hkdesk.sim.process import start_simulator_process

DAY = date(2026, 3, 3)
CODES = ["700.HK", "5.HK", "9988.HK", "HSI"]


def at(hh: int, mm: int) -> int:
    return int(datetime.combine(DAY, time(hh, mm), HK_TZ).timestamp() * 1000)


async def subscribe(ws_url: str) -> WireClient:
    client = await WireClient.open(ws_url)
    await client.send(22004, {"symbol_list": [{"code": c} for c in CODES]})
    await client.reply(22005, timeout=10.0)
    return client


def ticks(client: WireClient) -> list[tuple]:
    return [
        (t.symbol, t.seq, t.ts, t.price, t.volume, t.direction)
        for t in (f.data for _, f in client.frames if type(f).__name__ == "TradePush")
    ]


async def test_processes_started_at_different_times_agree_on_the_overlap():
    args = ["--date", DAY.isoformat(), "--speed", "60", "--seed", "5", "--heartbeat-timeout", "60"]
    with start_simulator_process([*args, "--start", "10:00"]) as first:
        early = await subscribe(first.ws_url)
        with start_simulator_process([*args, "--start", "10:02"]) as second:
            late = await subscribe(second.ws_url)
            status = await http_json(f"{second.control_url}/status")
            await asyncio.gather(early.collect(5.0), late.collect(5.0))
            query = {"trace": "k", "data": {"code": "700.HK", "kline_type": 1, "query_kline_num": 10}}
            bars = await http_json(f"{second.http_url}/kline?token=t&query={quote(json.dumps(query))}")
        await early.close()
    await late.close()
    assert status["date"] == DAY.isoformat() and "10:02:00" <= status["time"] < "10:05:00"
    a, b = ticks(early), ticks(late)
    lo = max(min(t[2] for t in a), min(t[2] for t in b)) + 1000
    hi = min(max(t[2] for t in a), max(t[2] for t in b)) - 1000
    overlap_a = [t for t in a if lo <= t[2] <= hi]
    overlap_b = [t for t in b if lo <= t[2] <= hi]
    assert hi - lo > 60_000 and len(overlap_a) > 200
    assert overlap_a == overlap_b
    # the late process made the minutes before its start: its bar of 10:01 is what the first pushed
    minute = [t for t in a if t[0] == "700.HK" and at(10, 1) <= t[2] < at(10, 2)]
    bar = next(k for k in bars["data"]["kline_list"] if int(k["timestamp"]) * 1000 == at(10, 1))
    assert minute and int(bar["volume"]) == sum(t[4] for t in minute)
    assert Decimal(bar["close_price"]) == minute[-1][3]
