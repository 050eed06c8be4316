"""The 52-week high and low columns: the extremes of the stored bars before the day, exactly as
stored (ordered as numbers, not as text), joined with the day's own high and low on screen."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from hkdesk.app.year_range import year_ranges
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Tick
from hkdesk.store import BatchWriter, make_engine
from hkdesk.ui.watchlist_model import Col, WatchlistModel


def at(day: date, hh: int = 10) -> int:
    return int(datetime.combine(day, time(hh), HK_TZ).timestamp() * 1000)


def test_the_stored_extremes_before_the_day_and_the_day_s_own(qapp, tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'y.db'}")
    writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
    old, before, day = date(2025, 1, 6), date(2026, 11, 27), date(2026, 11, 30)
    prices = [(old, "999.0"), (before, "99.50"), (before, "100.20"), (before, "9.80"), (day, "101.0")]
    writer.put_ticks(
        [Tick("700.HK", i, at(d, 10 + i), Decimal(p), Decimal(100)) for i, (d, p) in enumerate(prices, 1)]
    )
    assert writer.stop(30)
    try:
        ranges = year_ranges(engine, ["700.HK", "5.HK"], at(day, 0))
    finally:
        engine.dispose()
    # 999 is older than 52 weeks; "9.80" < "99.50" as text, but not as numbers
    assert ranges == {"700.HK": (Decimal("100.20"), Decimal("9.80")), "5.HK": (None, None)}
    assert str(ranges["700.HK"][0]) == "100.20", "the stored digits"

    hub = QuoteHub()
    model = WatchlistModel(hub, default_universe())
    model.set_symbols(["700.HK", "5.HK"])
    model.set_shown_optional({Col.HIGH_52W, Col.LOW_52W})
    hub.apply_ticks([Tick("700.HK", 9, at(day, 11), Decimal("101.0"), Decimal(100))])
    model.apply_frame(hub.take_dirty())

    def cell(sym: str, col: Col) -> str:
        return model.index(model.row_of(sym), col).data()

    assert cell("700.HK", Col.HIGH_52W) == "–", "not read from the database yet"
    model.set_year_ranges(ranges)
    assert (cell("700.HK", Col.HIGH_52W), cell("700.HK", Col.LOW_52W)) == ("101.000", "9.800")
    assert cell("5.HK", Col.HIGH_52W) == "–", "nothing stored, no trade today"
