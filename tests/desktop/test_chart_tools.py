"""The chart's tools on a recorded day: indicators drawn are the domain's values over the stored
bars, the chart's menu (interval, indicators, an alert at the pointer's price) and alert lines
that move their alert when dragged; the 52-week columns read from the same database."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
from PySide6.QtWidgets import QMenu
from support.desks import make_desk
from support.scripted_alltick import Scripted
from support.waits import wait_until

from hkdesk.alerts.model import Kind
from hkdesk.domain import formatting as fmt
from hkdesk.domain import indicators as ind
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Tick
from hkdesk.store import BatchWriter, make_engine
from hkdesk.store.history import bars_between
from hkdesk.ui.alert_dialog import AlertDialog
from hkdesk.ui.chart import INTRADAY
from hkdesk.ui.watchlist_rows import Col

TOKEN = "chart-tools-token"
DAY = date(2026, 11, 30)


def at(hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime.combine(DAY, time(hh, mm, ss), HK_TZ).timestamp() * 1000)


def recorded_day() -> list[Tick]:
    """A day of Tencent every 20 s, a random walk on the 0.2 grid, lunch left out."""
    rng = random.Random(16)
    price, seq, out = Decimal("400.0"), 0, []
    for start, end in ((at(9, 30), at(12, 0)), (at(13, 0), at(16, 0))):
        for ts in range(start, end, 20_000):
            seq += 1
            price += Decimal("0.2") * rng.choice((-2, -1, 0, 1, 2))
            out.append(Tick("700.HK", seq, ts, price, Decimal(100 * rng.randint(1, 20))))
    return out


def floats(series) -> np.ndarray:
    return np.array([math.nan if v is None else float(v) for v in series])


def submenu(menu: QMenu, name: str) -> QMenu:
    return next(m for m in menu.findChildren(QMenu) if m.objectName() == name)


async def test_indicators_menu_and_alert_lines_on_a_recorded_day(qtbot, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'day.db'}"
    engine = make_engine(db)
    writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
    tape = recorded_day()
    writer.put_ticks(tape)
    assert writer.stop(30)
    async with Scripted(token=TOKEN) as server:
        server.paused = True
        desk = make_desk(tmp_path / "cfg", db, url=server.url, token=TOKEN, symbols="700")
        win = await desk.open()
        try:
            chart = win.chart
            await wait_until(lambda: chart.ticks.n == len(tape), timeout=20, what="the day on the chart")
            overlay, lines, menu = win.tools.equipment[win.panels]
            intervals = submenu(menu.menu(None), "chart_intervals")
            next(a for a in intervals.actions() if a.data() == "5m").trigger()
            assert chart.mode == "5m"
            for name in ("ma", "bollinger", "macd", "rsi"):
                choices = submenu(menu.menu(None), "chart_indicators")
                next(a for a in choices.actions() if a.data() == name).trigger()
            assert desk.settings.indicators == ["bollinger", "ma", "macd", "rsi"]
            await wait_until(lambda: overlay.series is not None, what="the indicators read")

            bars = bars_between(engine, "700.HK", 300, at(0, 0), at(23, 59))
            closes = ind.closes(bars)
            # drawn at each bar's middle on the chart's axis, the afternoon an hour left of its time
            x = chart.axis.to_x(np.array([b.start / 1000 for b in bars])) + 150
            assert bars[-1].start == at(15, 55) and x[-1] == at(14, 57, 30) / 1000, "the whole day"
            assert np.array_equal(overlay.x(), x)
            # the candles' own bars (from the chart's trades) start where the stored ones do
            assert np.array_equal(chart.bars.closed[: chart.bars.n, 0] + 150, x[:-1])
            expected = {
                "ma20": ind.sma(closes, 20),
                "ma50": ind.sma(closes, 50),
                "boll_up": ind.bollinger(closes).upper,
                "boll_low": ind.bollinger(closes).lower,
                "macd": ind.macd(closes).line,
                "macd_signal": ind.macd(closes).signal,
                "rsi": ind.rsi(closes),
            }
            for key, values in expected.items():
                assert overlay.series.lines[key] == values, key  # the exact decimals
                drawn_x, drawn_y = overlay.curves[key].getData()
                assert np.array_equal(drawn_x, x)
                np.testing.assert_array_equal(drawn_y, floats(values), err_msg=key)
                assert overlay.curves[key].isVisible()
            assert {"macd", "rsi"} <= overlay._panes_shown
            chart.set_mode(INTRADAY)
            assert not overlay.curves["ma20"].isVisible() and not overlay._panes_shown

            # an alert at the pointer's price, on the price grid
            last = tape[-1].price
            entries = {a.objectName(): a for a in menu.menu(float(last) + 3.07).actions()}
            assert entries["chart_alert"].text() == f"Add alert at {last + Decimal('3.0')}…"
            entries["chart_alert"].trigger()
            dialog = win.findChild(AlertDialog)
            assert dialog.value.text() == str(last + Decimal("3.0"))
            assert dialog.kind.currentData() == Kind.ABOVE, "above the last price: a rise to it"
            dialog.reject()
            entries = {a.objectName(): a for a in menu.menu(float(last) - 5.01).actions()}
            entries["chart_alert_line"].trigger()
            await wait_until(lambda: len(lines.lines) == 1, what="the alert line drawn")
            (alert,) = desk.alerts.alerts()
            assert (alert.kind, alert.value) == (Kind.BELOW, last - Decimal("5.0"))
            # dragging the line moves its alert to where it is let go, on the grid
            line = lines.lines[alert.id]
            line.setValue(float(last) - 7.13)
            line.sigPositionChangeFinished.emit(line)
            await wait_until(
                lambda: desk.alerts.alerts()[0].value == last - Decimal("7.2"), what="the alert moved"
            )
            assert line.value() == float(last - Decimal("7.2"))

            # the 52-week columns, once shown, are read from the database
            win.tools.columns.set_shown(Col.HIGH_52W, True)
            row = win.model.row_of("700.HK")
            high = fmt.price_text(max(t.price for t in tape))
            await wait_until(lambda: win.model.index(row, Col.HIGH_52W).data() == high, what="the 52w high")
        finally:
            await desk.close()
            engine.dispose()
