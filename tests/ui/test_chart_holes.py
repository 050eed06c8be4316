"""The chart says where the day may be missing trades: a real database behind the window's reads,
the real panels and chart. A late first point is a hole from the open while the provider's minutes
are being fetched (or cannot be had), an unfilled gap is a hole until it is filled; holes are
shaded and named on the intraday views, the view begins at the open, and a whole day has none."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from support.waits import wait_until

from hkdesk.app.store_reads import StoreReads
from hkdesk.domain.day_holes import DayFill, Hole, HoleKind
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Tick
from hkdesk.store import BatchWriter, make_engine
from hkdesk.ui.colours import make_palette
from hkdesk.ui.symbol_panels import SymbolPanels

SYM = "700.HK"


def hk(hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime(2026, 12, 4, hh, mm, ss, tzinfo=HK_TZ).timestamp() * 1000)


def regions(plot: pg.PlotItem) -> list[pg.LinearRegionItem]:
    return [i for i in plot.items if isinstance(i, pg.LinearRegionItem)]


def label_of(region: pg.LinearRegionItem) -> str:
    labels = [c for c in region.lines[0].childItems() if isinstance(c, pg.InfLineLabel)]
    return labels[0].toPlainText() if labels else ""


class Filler(QObject):
    """Tells the panels when a symbol's stored day changed (the app's DayFiller)."""

    history_changed = Signal(str)


async def test_holes_are_marked_until_the_day_is_whole(qapp, tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'day.db'}")
    writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
    minutes = [hk(10, 50) + i * 60_000 for i in range(31)] + [hk(13, 5) + i * 60_000 for i in range(26)]
    ticks = [Tick(SYM, i, ts, Decimal("400") + i, Decimal(100)) for i, ts in enumerate(minutes, 1)]
    writer.put_ticks(ticks)
    writer.put_gap(SYM, hk(11, 20), hk(13, 5), reason="reconnect")
    assert writer.stop(30)
    hub = QuoteHub()
    hub.apply_ticks(ticks[-1:])
    fill = {SYM: DayFill.PENDING}
    executor = ThreadPoolExecutor(1)
    owner = Filler()
    reads = StoreReads(hub, executor, lambda: engine, fill.__getitem__)
    panels = SymbolPanels(hub, make_palette(), reads, owner.history_changed, owner)
    chart = panels.chart
    try:
        panels.show(SYM, "700 Tencent", is_index=False)
        await wait_until(lambda: len(panels.holes.holes) == 2, timeout=10, what="the day's holes")
        assert panels.holes.holes == [
            Hole(hk(9, 30), hk(10, 50), HoleKind.FETCHING),
            Hole(hk(11, 20), hk(13, 5), HoleKind.GAP),
        ]
        shaded = regions(chart.price_plot)
        assert len(shaded) == 2 and len(regions(chart.volume_plot)) == 2
        morning, gap = sorted(shaded, key=lambda r: r.getRegion()[0])
        assert morning.getRegion() == (hk(9, 30) / 1000, hk(10, 50) / 1000)
        # the lunch hour is folded away on the axis: the gap ends at 13:05 drawn as 12:05
        assert gap.getRegion() == (hk(11, 20) / 1000, hk(12, 5) / 1000)
        assert label_of(morning) == "fetching from the provider…"
        assert label_of(gap) == "gap: trades may be missing"
        assert chart.price_plot.viewRange()[0][0] <= hk(9, 30) / 1000, "the view begins at the open"

        chart.set_mode("1d")
        assert not any(r.isVisible() for r in regions(chart.price_plot)), "a daily candle has no hole"
        chart.set_mode("1m")
        assert all(r.isVisible() for r in regions(chart.price_plot))

        fill[SYM] = DayFill.FAILED  # the provider refused: the morning is not to be had
        panels.reload(SYM)
        await wait_until(lambda: panels.holes.holes[0].kind is HoleKind.NO_DATA, timeout=10, what="no data")
        assert label_of(min(regions(chart.price_plot), key=lambda r: r.getRegion()[0])) == "no data"

        fill[SYM] = DayFill.FILLED  # the provider's minutes of the morning and the gap are stored
        writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
        writer.put_gap(SYM, hk(11, 20), hk(13, 5), filled_at=1.0)
        assert writer.stop(30)
        panels.reload(SYM)
        await wait_until(lambda: not panels.holes.holes, timeout=10, what="a whole day")
        assert regions(chart.price_plot) == [] and regions(chart.volume_plot) == []
        assert chart.day_start_x is None
    finally:
        panels.stop()
        executor.shutdown()
        engine.dispose()
