"""Alerts on the real receive path: the simulator's trades through the feed, judged batch by batch.

The hub below is the wiring the app gives the pipeline: after the quote hub takes a batch, the
alert pump judges it in slices on the loop and the firings go to the alert log from a worker
thread. What fired is held
to the reference reading of the rules over exactly the trades that arrived, batch cuts and all.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from oracle import reference
from support.waits import wait_until

from hkdesk.alerts.evaluator import AlertEvaluator
from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.pump import AlertPump
from hkdesk.alerts.recorder import FiringRecorder
from hkdesk.alerts.rule import AlertEvent
from hkdesk.alerts.store import AlertStore
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.types import Tick
from hkdesk.feed.http import QuoteHttp
from hkdesk.feed.plans import Plan
from hkdesk.feed.status import FeedTimings
from hkdesk.pipeline import Pipeline
from hkdesk.sim.clock import DemoClock
from hkdesk.sim.server import SimServer
from hkdesk.sources.upstream import Upstream

SYMBOLS = ["700.HK", "9988.HK", "5.HK", "388.HK", "16.HK"]
PLAN = Plan("test", symbols_per_connection=100, connections=1, reconnect_spacing=0.05)
TIMINGS = FeedTimings(heartbeat_interval=0.5, request_spacing=0.03, debounce=0.01, close_timeout=0.2)


class AlertingHub(QuoteHub):
    """The quote hub, then the batch queued for the alert pump (the app's wiring)."""

    def __init__(self, evaluator: AlertEvaluator, recorder: FiringRecorder) -> None:
        super().__init__()
        self.pump = AlertPump(evaluator, self._fired, slice_ticks=64)
        self.recorder = recorder
        self.judged: list[Tick] = []
        self.events: list[AlertEvent] = []

    def apply_ticks(self, ticks) -> None:
        super().apply_ticks(ticks)
        if self.pump.evaluator:
            self.judged.extend(ticks)
            self.pump.put(ticks)

    def _fired(self, events) -> None:
        self.events.extend(events)
        self.recorder.record(events)


def alerts_around(hub: QuoteHub, closes: dict[str, Decimal]) -> list[Alert]:
    """Alerts a few ticks' worth from where each symbol trades now, re-arming after a minute."""
    out = []
    for symbol in SYMBOLS:
        last, close = hub.quotes[symbol].last, closes[symbol]
        change = ((last - close) * 100 / close).quantize(Decimal("0.01"))
        for kind, value, minutes in [
            (Kind.ABOVE, (last * Decimal("1.001")).quantize(Decimal("0.001")), None),
            (Kind.BELOW, (last * Decimal("0.999")).quantize(Decimal("0.001")), None),
            (Kind.CHANGE_ABOVE, change + Decimal("0.1"), None),
            (Kind.CHANGE_BELOW, change - Decimal("0.1"), None),
            (Kind.MOVE, Decimal("0.15"), 1),
            (Kind.VOLUME_SURGE, Decimal("1.5"), 1),
        ]:
            out.append(Alert(symbol, kind, value, minutes, cooldown_minutes=1, id=len(out) + 1))
    return out


async def test_alerts_fire_on_exactly_the_trades_the_rules_name(tmp_path) -> None:
    store = AlertStore.in_folder(tmp_path)
    recorder = FiringRecorder(store, "simulator")
    evaluator = AlertEvaluator()
    hub = AlertingHub(evaluator, recorder)
    async with SimServer(clock=DemoClock(speed=60), request_spacing=0.03, seed=5) as sim:
        closes = await QuoteHttp(sim.ws_url, "t", min_interval=0.0).fetch_previous_close(SYMBOLS)
        pipeline = Pipeline(Upstream("sim", sim.ws_url, "t", PLAN), writer=None, hub=hub, timings=TIMINGS)
        pipeline.feed.set_symbols(SYMBOLS)
        task = asyncio.create_task(pipeline.run())
        try:
            await wait_until(lambda: all(s in hub.quotes for s in SYMBOLS), 20, "a trade of every symbol")
            alerts = alerts_around(hub, closes)
            with hub.pump.lock:  # the pump's worker may be judging
                evaluator.set_alerts(alerts)
                for symbol, close in closes.items():
                    evaluator.set_previous_close(symbol, close)
            await asyncio.sleep(7.5)  # seven and a half trading minutes: the surge has its history
            sim.set_rate(4000)
            await wait_until(
                lambda: any(e.alert.kind is Kind.VOLUME_SURGE for e in hub.events), 20, "a surge"
            )
            sim.set_rate(0)
            # the tape is the simulator's and the clock a fast wall clock: in a slow run every
            # symbol may only have risen so far, so the market is given time to come back down
            await wait_until(lambda: {e.alert.kind for e in hub.events} == set(Kind), 30, "every kind fired")
        finally:
            await pipeline.close()
            await task
    hub.pump.close()
    recorder.close()

    position = {(t.symbol, t.ts, t.seq): i for i, t in enumerate(hub.judged)}
    fired = sorted((position[(e.symbol, e.ts, e.seq)], e.alert.id) for e in hub.events)
    assert fired == sorted(reference(alerts, hub.judged, closes))
    assert {e.alert.kind for e in hub.events} == set(Kind), [e.condition for e in hub.events]
    logged = store.log()
    assert [(e.alert_id, e.symbol, e.price, e.ts) for e in logged] == [
        (e.alert.id, e.symbol, e.price, e.ts) for e in hub.events
    ]
    assert {e.source for e in logged} == {"simulator"}
    store.close()
