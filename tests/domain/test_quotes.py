from __future__ import annotations

from decimal import Decimal as D

from hkdesk.domain.quotes import QuoteHub, hk_day
from hkdesk.domain.sessions import HK_OFFSET_MS
from hkdesk.domain.types import Bar, Book, Level, Tick

T0 = 1_764_207_000_000  # 2025-11-27 09:30 HKT


def tick(
    seq: int, price: str, volume: str = "100", ts: int = T0, direction: int = 1, sym: str = "700.HK"
) -> Tick:
    return Tick(sym, seq, ts + seq * 1000, D(price), D(volume), direction=direction)


def test_quote_tracks_last_change_high_low_volume_and_turnover() -> None:
    hub = QuoteHub()
    hub.set_previous_close("700.HK", D("500"))
    hub.apply_ticks([tick(1, "501.5"), tick(2, "499.0", "200"), tick(3, "500.5")])
    q = hub.quotes["700.HK"]
    assert (q.last, q.open, q.high, q.low) == (D("500.5"), D("501.5"), D("501.5"), D("499.0"))
    assert q.change == D("0.5") and q.change_pct == D("0.1")
    assert q.volume == 400
    assert q.turnover == D("501.5") * 100 + D("499.0") * 200 + D("500.5") * 100
    assert q.vwap == q.turnover / 400
    assert q.tick_move == 1 and q.trades == 3


def test_dirty_set_coalesces_many_ticks_into_one_entry_per_symbol() -> None:
    hub = QuoteHub()
    hub.apply_ticks([tick(i, "10", sym="5.HK") for i in range(1, 50)] + [tick(1, "20", sym="1.HK")])
    assert hub.take_dirty() == {"5.HK", "1.HK"}
    assert hub.take_dirty() == set()


def test_replayed_trades_are_not_counted_twice() -> None:
    hub = QuoteHub()
    hub.apply_ticks([tick(1, "10"), tick(2, "11")])
    hub.apply_ticks([tick(2, "11")])
    assert hub.quotes["700.HK"].volume == 200


def test_a_new_trading_day_rolls_the_previous_close() -> None:
    hub = QuoteHub()
    hub.apply_ticks([tick(1, "10"), tick(2, "12")])
    next_day = T0 + 86_400_000
    hub.apply_ticks([Tick("700.HK", 1, next_day, D("12.5"), D("100"))])
    q = hub.quotes["700.HK"]
    assert q.prev_close == D("12") and q.open == D("12.5") and q.volume == 100
    assert hk_day(next_day) == hk_day(T0) + 1


def test_tape_is_bounded_and_books_set_top_of_book() -> None:
    hub = QuoteHub(tape_length=10)
    hub.apply_ticks([tick(i, "10") for i in range(1, 30)])
    assert len(hub.tape("700.HK")) == 10 and hub.tape("700.HK")[-1].seq == 29
    hub.apply_books(
        [Book("700.HK", 5, T0, bids=[Level(D("9.99"), D("500"))], asks=[Level(D("10.01"), D("700"))])]
    )
    q = hub.quotes["700.HK"]
    assert (q.bid, q.ask, q.bid_volume, q.ask_volume) == (D("9.99"), D("10.01"), D("500"), D("700"))
    assert hub.take_dirty_books() == {"700.HK"}


def test_a_late_trade_of_an_earlier_day_leaves_todays_quote_alone() -> None:
    hub = QuoteHub()
    next_day = T0 + 86_400_000
    hub.apply_ticks([Tick("700.HK", 10, next_day, D("12.5"), D("100"))])
    hub.apply_ticks([Tick("700.HK", 3, T0, D("11"), D("400"))])
    q = hub.quotes["700.HK"]
    assert (q.last, q.open, q.volume, q.prev_close) == (D("12.5"), D("12.5"), 100, None)


def day_bar(open_: str, high: str, low: str, close: str, volume: str, turnover: str, day_ms: int = T0) -> Bar:
    start = (day_ms + HK_OFFSET_MS) // 86_400_000 * 86_400_000 - HK_OFFSET_MS  # HK midnight
    return Bar("700.HK", start, 86_400, D(open_), D(high), D(low), D(close), D(volume), D(turnover))


def test_the_session_bar_gives_the_day_from_the_open_and_later_trades_add_on() -> None:
    """Connected at 14:00: the streamed trades so far are in the provider's bar, which replaces
    their volume and turnover; the day's open, high and low are the bar's; later trades add on."""
    hub = QuoteHub()
    hub.apply_ticks([tick(1, "430.0"), tick(2, "430.4", "200")])
    bar = day_bar("425.0", "433.2", "424.6", "430.4", "5000000", "2140000000")
    assert hub.apply_session_bar("700.HK", bar)
    q = hub.quotes["700.HK"]
    assert (q.open, q.high, q.low, q.last) == (D("425.0"), D("433.2"), D("424.6"), D("430.4"))
    assert (q.volume, q.turnover) == (D("5000000"), D("2140000000"))
    hub.apply_ticks([tick(3, "433.4", "300"), tick(4, "424.0", "100")])
    assert (q.high, q.low) == (D("433.4"), D("424.0"))
    assert q.volume == D("5000400")
    assert q.turnover == D("2140000000") + D("433.4") * 300 + D("424.0") * 100


def test_a_session_bar_of_another_day_or_before_any_trade_changes_nothing() -> None:
    hub = QuoteHub()
    bar = day_bar("1", "2", "0.5", "1", "10", "10")
    assert not hub.apply_session_bar("700.HK", bar), "no trade of the session yet"
    hub.apply_ticks([tick(1, "430.0")])
    yesterday = day_bar("1", "2", "0.5", "1", "10", "10", day_ms=T0 - 86_400_000)
    assert not hub.apply_session_bar("700.HK", yesterday)
    q = hub.quotes["700.HK"]
    assert (q.open, q.high, q.low, q.volume) == (D("430.0"), D("430.0"), D("430.0"), D("100"))


def cut(seq: int) -> int:
    """The exchange time of ``tick(seq)``: the day before it is a desk's bar."""
    return T0 + seq * 1000


def test_a_desk_s_day_before_its_stream_read_before_the_replay_counts_only_the_trades_from_its_cut() -> None:
    """A desktop of a desk that began streaming at 14:00 gets the desk's bar of the day before
    the minute of trade 2 before the day's trades are replayed: the replayed trade 1 adds
    nothing, trades from 2 on add, and the open, high and low are the day's."""
    hub = QuoteHub()
    bar = day_bar("425.0", "433.2", "424.6", "430.0", "5000000", "2140000000")
    assert hub.apply_session_base("700.HK", bar, cut(2))
    assert hub.quotes["700.HK"].volume == 0, "kept until the session's first trade"
    hub.apply_ticks([tick(1, "430.0"), tick(2, "430.4", "200"), tick(3, "433.4", "300")])
    hub.apply_ticks([tick(4, "424.0", "100")])
    q = hub.quotes["700.HK"]
    assert (q.open, q.high, q.low, q.last) == (D("425.0"), D("433.4"), D("424.0"), D("424.0"))
    assert q.volume == D("5000600")
    assert q.turnover == D("2140000000") + D("430.4") * 200 + D("433.4") * 300 + D("424.0") * 100
    assert q.trades == 4


def test_a_desk_s_day_before_its_stream_that_comes_after_the_trades_joins_them_from_the_tape() -> None:
    hub = QuoteHub()
    hub.apply_ticks([tick(1, "430.0"), tick(2, "430.4", "200"), tick(3, "433.4", "300")])
    bar = day_bar("425.0", "433.2", "424.6", "430.4", "5000000", "2140000000")
    assert hub.apply_session_base("700.HK", bar, cut(3))
    q = hub.quotes["700.HK"]
    assert (q.open, q.high, q.low) == (D("425.0"), D("433.4"), D("424.6"))
    assert (q.volume, q.turnover) == (D("5000300"), D("2140000000") + D("433.4") * 300)
    newer = day_bar("425.0", "433.4", "424.6", "433.4", "5000300", "2140130020")
    assert hub.apply_session_base("700.HK", newer, cut(4))  # a new desk leader's cut
    assert (q.volume, q.turnover) == (D("5000300"), D("2140130020"))
    assert hub.apply_session_base("700.HK", bar, cut(3))  # an earlier cut changes nothing
    assert q.volume == D("5000300")
    hub.apply_ticks([tick(2, "430.4", "200"), tick(4, "433.0", "100")])  # a replay overlap, then on
    assert q.volume == D("5000400")


def test_a_desk_s_day_before_its_stream_that_the_tape_cannot_join_or_of_an_earlier_day_changes_nothing() -> (
    None
):
    hub = QuoteHub(tape_length=3)
    hub.apply_ticks([tick(i, "430.0") for i in range(1, 8)])  # trades 5-7 in the tape
    bar = day_bar("425.0", "433.2", "424.6", "430.4", "5000000", "2140000000")
    assert not hub.apply_session_base("700.HK", bar, cut(5)), "trade 4 may be as late as trade 5"
    assert not hub.apply_session_base("700.HK", bar, cut(3)), "trades 3 and 4 are out of the tape"
    assert hub.quotes["700.HK"].volume == 700
    assert hub.apply_session_base("700.HK", bar, cut(6))  # trades from 6 on are all in it
    assert hub.quotes["700.HK"].volume == D("5000200")
    yesterday = day_bar("1", "2", "0.5", "1", "10", "10", day_ms=T0 - 86_400_000)
    assert not hub.apply_session_base("700.HK", yesterday, 0)
    assert hub.quotes["700.HK"].volume == D("5000200")


def test_a_desk_s_day_before_its_stream_for_the_next_session_waits_for_that_session() -> None:
    hub = QuoteHub()
    hub.apply_ticks([tick(1, "430.0")])
    next_day = T0 + 86_400_000
    bar = day_bar("431.0", "432.0", "429.0", "431.5", "900", "387000", day_ms=next_day)
    assert hub.apply_session_base("700.HK", bar, next_day)
    q = hub.quotes["700.HK"]
    assert (q.open, q.volume) == (D("430.0"), D("100")), "today's figures stay until the next session"
    hub.apply_ticks([Tick("700.HK", 1, next_day + 3_600_000, D("431.5"), D("100"))])
    assert (q.open, q.high, q.low, q.volume) == (D("431.0"), D("432.0"), D("429.0"), D("1000"))


def test_a_part_day_joins_a_cut_at_a_minute_however_many_trades_it_had_since() -> None:
    """A desktop restarted at 14:00 restores thousands of the day's trades before the desk's
    record (cut at 10:01) arrives: far more than the tape holds. The minute marks of the part
    day give the trades from 10:01 on."""
    hub = QuoteHub(tape_length=3)
    ten = T0 + 30 * 60_000  # 10:00 in Hong Kong
    trades = [
        Tick("700.HK", i, ten + i * 7_000, D("430"), D("100")) for i in range(1, 40)
    ]  # 10:00:07-10:04:33
    hub.apply_ticks(trades)
    q = hub.quotes["700.HK"]
    assert q.counted_since == trades[0].ts and q.volume == 3900
    bar = day_bar("425.0", "433.2", "424.6", "430.0", "5000000", "2140000000")
    assert hub.apply_session_base("700.HK", bar, ten + 60_000)
    from_cut = [t for t in trades if t.ts >= ten + 60_000]
    assert q.volume == D("5000000") + 100 * len(from_cut)
    assert q.turnover == D("2140000000") + sum(t.turnover for t in from_cut)
    assert q.counted_since == 0 and q.minute_marks is None, "whole: the marks are dropped"
    hub.apply_ticks([Tick("700.HK", 40, ten + 300_000, D("431"), D("100"))])
    assert q.volume == D("5000000") + 100 * (len(from_cut) + 1) and q.high == D("433.2")
