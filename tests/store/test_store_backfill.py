"""What the backfill stores, on SQLite and PostgreSQL: the provider's 1-minute bars beside our own,
never counting a minute twice; gaps marked filled; the facts of looked-up codes; all of it
through a database outage (spilled and replayed)."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

import msgspec
import pytest
from storekit import T0, database_locked, quick_engine, tick
from support.waits import wait_until_sync

from hkdesk.domain.bars import DAY, MINUTE, aggregate, bar_start
from hkdesk.domain.static_info import StaticInfo
from hkdesk.domain.types import Bar, Tick
from hkdesk.store import BatchWriter, make_engine, migrate
from hkdesk.store.history import bars_between, count_ticks, gaps_between, known_symbols, unfilled_gaps
from hkdesk.store.spill import MAGIC, read_spill

M0 = bar_start(T0, MINUTE) + 60_000  # a minute boundary just after T0
FAR = M0 + 86_400_000


def provider(start: int, volume: str, close: str = "301", symbol: str = "700.HK") -> Bar:
    v = Decimal(volume)
    return Bar(
        symbol, start, MINUTE, Decimal("300"), Decimal("302"), Decimal("299"), Decimal(close), v, v * 300
    )


def trades_in(minute: int, n: int, volume: str = "100", symbol: str = "700.HK", seq0: int = 0) -> list[Tick]:
    """``n`` trades of ``volume`` spread over the minute starting at ``minute``."""
    return [tick(seq0 + i, symbol, ts=minute + 1_000 + i * 1_000, volume=volume) for i in range(n)]


@pytest.fixture
def writer(db_url, tmp_path):
    made = BatchWriter(make_engine(db_url), spill_dir=tmp_path / "spill", flush_interval=0.01)
    made.start()
    yield made
    made.stop(10)


def committed(w: BatchWriter, batches: int) -> None:
    wait_until_sync(lambda: w.stats().batches >= batches and w.stats().queued == 0, what="commit")


def minutes(engine) -> dict[int, Bar]:
    return {b.start: b for b in bars_between(engine, "700.HK", MINUTE, M0 - 60_000, FAR)}


def test_provider_bars_fill_empty_minutes_and_never_count_a_traded_minute_twice(writer):
    writer.put_ticks(trades_in(M0, 3))  # a whole minute of ours: 300 shares
    committed(writer, 1)
    writer.put_bars([provider(M0, "300"), provider(M0 + 60_000, "500"), provider(M0 + 120_000, "700")])
    committed(writer, 2)
    got = minutes(writer.engine)
    assert sorted(got) == [M0, M0 + 60_000, M0 + 120_000]
    ours = got[M0]
    assert (ours.provided, ours.trades, ours.volume) == (False, 3, Decimal(300)), "kept: as much volume"
    filled = got[M0 + 60_000]
    assert (filled.provided, filled.trades, filled.volume) == (True, 0, Decimal(500))
    assert filled.close == Decimal("301") and filled.turnover == Decimal(150_000)
    assert writer.stats().provided_bars == 2
    # the daily roll-up counts each minute once and says the day holds provider bars
    (day,) = bars_between(writer.engine, "700.HK", DAY, M0, FAR)
    assert day.volume == Decimal(1_500) and day.provided


def test_a_thinner_minute_of_ours_is_replaced_and_later_trades_do_not_add_to_it(writer):
    # the stream started in the middle of the minute: we hold 2 of its 5 trades
    writer.put_ticks(trades_in(M0, 2, seq0=10))
    committed(writer, 1)
    writer.put_bars([provider(M0, "500")])
    committed(writer, 2)
    assert (minutes(writer.engine)[M0].volume, minutes(writer.engine)[M0].provided) == (Decimal(500), True)
    # a trade of that minute arriving afterwards (a replayed spill, a late tick) is stored as a
    # trade but the provider's whole minute already counts it
    writer.put_ticks(trades_in(M0, 1, seq0=20))
    committed(writer, 3)
    assert count_ticks(writer.engine, "700.HK") == 3
    bar = minutes(writer.engine)[M0]
    assert (bar.volume, bar.provided) == (Decimal(500), True)


def test_a_provider_bar_fetched_mid_minute_is_superseded_by_the_whole_minute(writer):
    writer.put_bars([provider(M0, "200", close="300.5")])
    committed(writer, 1)
    writer.put_bars([provider(M0, "100")])  # an older answer: less volume, ignored
    committed(writer, 2)
    assert minutes(writer.engine)[M0].volume == Decimal(200)
    writer.put_bars([provider(M0, "900")])
    committed(writer, 3)
    bar = minutes(writer.engine)[M0]
    assert (bar.volume, bar.close) == (Decimal(900), Decimal(301))


def test_trades_and_provider_bars_in_one_transaction(db_url, tmp_path):
    w = BatchWriter(make_engine(db_url), spill_dir=tmp_path / "spill", flush_interval=0.01)
    # queued before the writer runs: one batch holds both, trades first
    w.put_ticks(trades_in(M0, 2) + trades_in(M0 + 60_000, 4, seq0=10))
    w.put_bars([provider(M0, "500"), provider(M0 + 60_000, "400"), provider(M0 + 120_000, "300")])
    w.put_ticks(trades_in(M0 + 120_000, 1, seq0=30))  # queued after the provider's bar of its minute
    w.start()
    committed(w, 1)
    w.stop(10)
    got = minutes(w.engine)
    assert w.stats().batches == 1
    assert (got[M0].volume, got[M0].provided) == (Decimal(500), True)
    assert (got[M0 + 60_000].volume, got[M0 + 60_000].provided) == (Decimal(400), False)
    assert (got[M0 + 120_000].volume, got[M0 + 120_000].provided) == (Decimal(300), True)
    assert count_ticks(w.engine) == 7


def test_only_minute_bars_are_taken(writer):
    day = Bar("700.HK", M0, DAY, *(Decimal(1),) * 6)
    with pytest.raises(ValueError, match="1-minute"):
        writer.put_bars([day])


def test_gaps_are_marked_filled_and_unfilled_ones_listed(writer):
    writer.put_gap("700.HK", M0 + 5_000, M0 + 200_000, reason="reconnect", recorded_at=10.0)
    writer.put_gap("5.HK", M0 + 5_000, M0 + 90_000, reason="reconnect", recorded_at=10.0)
    committed(writer, 1)
    assert [g.symbol for g in unfilled_gaps(writer.engine, M0, FAR)] == ["5.HK", "700.HK"]
    writer.put_gap("700.HK", M0 + 5_000, M0 + 200_000, filled_at=20.0)
    # a span the app was closed for: stored filled at once
    writer.put_gap("700.HK", M0 + 300_000, M0 + 900_000, reason="closed", filled_at=30.0)
    committed(writer, 2)
    assert [g.symbol for g in unfilled_gaps(writer.engine, M0, FAR)] == ["5.HK"]
    got = {(g.reason, g.filled_at) for g in gaps_between(writer.engine, "700.HK", M0, FAR)}
    assert got == {("reconnect", 20.0), ("closed", 30.0)}


TENCENT = StaticInfo(
    "700.HK",
    name_en="TENCENT",
    name_cn="腾讯控股",
    lot_size=100,
    currency="HKD",
    exchange="SEHK",
    total_shares=Decimal("9100000000"),
    eps=Decimal("20.5123"),
    eps_ttm=Decimal("21.0001"),
    bps=Decimal("110.1"),
    dividend_yield=Decimal("0.8269"),
    fetched_at=5.0,
)


def test_looked_up_codes_are_kept_and_updated(writer):
    assert known_symbols(writer.engine) == {}
    tracker = StaticInfo("2800.HK", name_en="TRACKER FUND", lot_size=500, currency="HKD", fetched_at=6.0)
    writer.put_symbol_info([TENCENT, tracker])
    committed(writer, 1)
    assert known_symbols(writer.engine) == {"700.HK": TENCENT, "2800.HK": tracker}
    newer = StaticInfo("2800.HK", name_en="TRACKER FUND OF HK", lot_size=500, fetched_at=7.0)
    writer.put_symbol_info([newer])
    committed(writer, 2)
    assert known_symbols(writer.engine)["2800.HK"] == newer


def test_known_symbols_of_a_database_without_tables_is_empty(tmp_path):
    assert known_symbols(make_engine(f"sqlite:///{tmp_path / 'new.db'}")) == {}


def test_bars_facts_and_fills_survive_an_outage_in_the_spill_file(db_url, tmp_path):
    engine = quick_engine(db_url)
    migrate(engine)
    spill = tmp_path / "spill"
    first = BatchWriter(engine, spill_dir=spill)
    first.put_gap("700.HK", M0, M0 + 120_000, reason="reconnect")
    assert first.stop(10)
    w = BatchWriter(engine, flush_rows=10_000, flush_interval=60.0, spill_dir=spill, retry_initial=0.01)
    w.start()
    with database_locked(db_url):
        w.put_ticks(trades_in(M0, 1))
        w.put_bars([provider(M0, "300"), provider(M0 + 60_000, "400")])
        w.put_symbol_info([TENCENT])
        w.put_gap("700.HK", M0, M0 + 120_000, filled_at=40.0)
        assert w.stop(10)
        assert (w.stats().spilled, w.stats().queued) == (5, 0)
    again = BatchWriter(quick_engine(db_url), flush_interval=0.01, spill_dir=spill)
    again.start()
    wait_until_sync(lambda: again.stats().spilled == 0 and again.stats().provided_bars == 2, what="replay")
    again.stop(10)
    got = minutes(again.engine)
    assert [(b.volume, b.provided) for b in got.values()] == [(Decimal(300), True), (Decimal(400), True)]
    assert count_ticks(again.engine) == 1
    assert known_symbols(again.engine) == {"700.HK": TENCENT}
    assert unfilled_gaps(again.engine, M0, FAR) == []


def test_tick_bars_are_unchanged_by_the_provided_column(writer):
    batch = trades_in(M0, 5) + trades_in(M0 + 60_000, 3, seq0=10)
    writer.put_ticks(batch)
    committed(writer, 1)
    assert bars_between(writer.engine, "700.HK", MINUTE, M0, FAR) == aggregate(batch, MINUTE)


def test_a_spill_file_from_before_version_4_is_still_read(tmp_path):
    """Records of an older writer: a gap without ``filled_at`` decodes as unfilled."""
    old_gap = {
        "type": "g",
        "gap": {"symbol": "700.HK", "start_ts": M0, "end_ts": M0 + 1, "reason": "reconnect"},
    }
    old_ticks = {"type": "t", "ticks": [msgspec.to_builtins(t) for t in trades_in(M0, 2)]}
    path = tmp_path / "spill-00000000000000000001-1.hks"
    with open(path, "wb") as fh:
        fh.write(MAGIC)
        for record in (old_ticks, old_gap):
            payload = msgspec.msgpack.encode(record)
            fh.write(struct.pack("<II", len(payload), zlib.crc32(payload)) + payload)
    ticks_record, gap_record = read_spill(path)
    assert len(ticks_record.ticks) == 2 and ticks_record.ticks[0].price == Decimal("300")
    assert gap_record.gap.filled_at == 0.0 and gap_record.gap.reason == "reconnect"
