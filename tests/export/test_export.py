"""``hkdesk export``: files read back hold exactly what the database holds, in CSV and in Excel."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from xlsx_reader import raw_cells

from hkdesk.cli import main
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.types import Tick
from hkdesk.export.tables import day_bounds
from hkdesk.store import BatchWriter, make_engine
from hkdesk.store.history import bars_between, ticks_between
from hkdesk.store.schema import decimal_text
from hkdesk.watchlist_file import Watchlists, WatchlistStore

DAY1, DAY2 = date(2026, 2, 27), date(2026, 3, 2)
PRICES = ["9.2", "388.6", "388.8", "0.105", "400.20", "1E+1", "123.456"]


def at(day: date, hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime.combine(day, time(hh, mm, ss), HK_TZ).timestamp() * 1000)


def tape() -> list[Tick]:
    out = []
    for day in (DAY1, DAY2):
        for i in range(240):
            price = D(PRICES[i % len(PRICES)]) + i
            volume = D(100 * (i % 5 + 1))
            out.append(Tick("700.HK", i + 1, at(day, 9, 30) + i * 7_013, price, volume, direction=i % 3))
        for i in range(30):
            out.append(Tick("5.HK", i + 1, at(day, 13, 0) + i * 61_000, D("62.35") + D(i) / 20, D("400")))
    big = D("9999999.999") * D("1000000000")  # 19 significant digits: more than Excel holds
    out.append(Tick("700.HK", 10**16, at(DAY2, 15, 59), D("9999999.999"), D("1000000000"), big))
    return out


@pytest.fixture
def db(db_url, tmp_path) -> str:
    engine = make_engine(db_url)
    writer = BatchWriter(engine, spill_dir=tmp_path / "spill")
    writer.put_ticks(tape())
    assert writer.stop(30)
    engine.dispose()
    return db_url


def export(db: str, *args: str) -> int:
    return main(["export", *args, "--db", db])


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_xlsx(path: Path) -> list[dict[str, tuple[str, str]]]:
    header = raw_cells(path)[0]
    names = [text for _, text in header]
    rows = raw_cells(path, len(names))[1:]
    return [dict(zip(names, row, strict=True)) for row in rows]


def stored_ticks(db: str, symbol: str, day: date) -> list[Tick]:
    engine = make_engine(db)
    try:
        return ticks_between(engine, symbol, *day_bounds(day))
    finally:
        engine.dispose()


def test_ticks_to_csv_match_the_database_exactly(db, tmp_path) -> None:
    out = tmp_path / "ticks.csv"
    assert export(db, "ticks", "--symbol", "00700", "--date", str(DAY2), "--out", str(out)) == 0
    rows, stored = read_csv(out), stored_ticks(db, "700.HK", DAY2)
    assert len(rows) == len(stored) == 241
    for row, t in zip(rows, stored, strict=True):
        assert (row["symbol"], int(row["ts_ms"]), int(row["seq"])) == (t.symbol, t.ts, t.seq)
        assert (D(row["price"]), D(row["volume"]), D(row["turnover"])) == (t.price, t.volume, t.turnover)
        assert "E" not in row["price"] + row["turnover"]
        wall = datetime.strptime(row["time"], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=HK_TZ)
        assert int(wall.timestamp() * 1000) == t.ts
        assert row["direction"] == ("neutral", "buy", "sell")[t.direction]
    assert rows[4]["price"] == "404.20"  # trailing zero kept as stored


def test_ticks_to_xlsx_keep_every_digit(db, tmp_path) -> None:
    out = tmp_path / "ticks.xlsx"
    assert export(db, "ticks", "--symbol", "700", "--date", str(DAY2), "--out", str(out)) == 0
    rows, stored = read_xlsx(out), stored_ticks(db, "700.HK", DAY2)
    assert len(rows) == len(stored)
    for row, t in zip(rows, stored, strict=True):
        assert row["price"] == ("n", decimal_text(t.price))
        assert D(row["price"][1]) == t.price and D(row["volume"][1]) == t.volume
        assert int(row["ts_ms"][1]) == t.ts
    big = rows[-1]
    assert big["turnover"] == ("s", "9999999999000000.000")  # 19 digits: text, not a rounded number
    assert big["seq"] == ("s", str(10**16))
    assert big["price"] == ("n", "9999999.999")
    sheet = openpyxl.load_workbook(out, read_only=True).active
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[1] == datetime(2026, 3, 2, 9, 30) and isinstance(first[4], float)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bars_of_a_date_range_match_the_rolled_up_database_bars(db, tmp_path, suffix) -> None:
    out = tmp_path / f"bars{suffix}"
    args = ["bars", "--symbol", "700.HK", "--date", str(DAY1), "--to", str(DAY2), "--interval", "5m"]
    assert export(db, *args, "--out", str(out)) == 0
    engine = make_engine(db)
    stored = bars_between(engine, "700.HK", 300, *day_bounds(DAY1, DAY2))
    engine.dispose()
    rows = read_csv(out) if suffix == ".csv" else [{k: v[1] for k, v in r.items()} for r in read_xlsx(out)]
    assert len(rows) == len(stored) > 2 * 5
    assert {r["interval"] for r in rows} == {"5m"}
    for row, bar in zip(rows, stored, strict=True):
        assert int(row["start_ms"]) == bar.start
        for name in ("open", "high", "low", "close", "volume", "turnover"):
            assert D(row[name]) == getattr(bar, name), name
        assert int(row["trades"]) == bar.trades
    assert sum(D(r["volume"]) for r in rows) == sum(t.volume for t in tape() if t.symbol == "700.HK")


def test_daily_bars_sum_the_days_trades(db, tmp_path) -> None:
    out = tmp_path / "days.csv"
    args = ["bars", "--symbol", "5", "--date", str(DAY1), "--to", str(DAY2), "--interval", "1d"]
    assert export(db, *args, "--out", str(out)) == 0
    rows = read_csv(out)
    assert [r["start"] for r in rows] == [f"{DAY1} 00:00:00.000", f"{DAY2} 00:00:00.000"]
    trades = [t for t in tape() if t.symbol == "5.HK"]
    assert D(rows[1]["turnover"]) == sum(t.turnover for t in trades[30:])
    assert (D(rows[0]["open"]), D(rows[0]["close"])) == (trades[0].price, trades[29].price)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_watchlist_has_the_days_figures_and_the_previous_close(db, tmp_path, suffix) -> None:
    cfg = tmp_path / "cfg"
    lists = {"Desk": ["700.HK", "5.HK", "9988.HK"], "Other": ["1.HK"]}
    WatchlistStore(cfg).save(Watchlists(lists=lists, current="Desk"))
    out = tmp_path / f"list{suffix}"
    assert export(db, "watchlist", "--date", str(DAY2), "--config-dir", str(cfg), "--out", str(out)) == 0
    rows = read_csv(out) if suffix == ".csv" else [{k: v[1] for k, v in r.items()} for r in read_xlsx(out)]
    assert [r["symbol"] for r in rows] == ["700.HK", "5.HK", "9988.HK"]
    day1 = [t for t in tape() if t.symbol == "5.HK" and t.ts < at(DAY2, 0, 0)]
    day2 = [t for t in tape() if t.symbol == "5.HK" and t.ts >= at(DAY2, 0, 0)]
    five = rows[1]
    assert (five["code"], five["name_en"]) == ("00005", "HSBC HOLDINGS")
    last, prev = day2[-1].price, day1[-1].price
    assert (D(five["last"]), D(five["prev_close"]), D(five["change"])) == (last, prev, last - prev)
    assert D(five["change_pct"]) == ((last - prev) * 100 / prev).quantize(D("0.01"))
    assert (D(five["high"]), D(five["low"])) == (max(t.price for t in day2), min(t.price for t in day2))
    assert D(five["volume"]) == sum(t.volume for t in day2)
    assert D(five["turnover"]) == sum(t.turnover for t in day2)
    assert int(five["trades"]) == len(day2)
    if suffix == ".csv":
        assert five["last_trade"] == "2026-03-02 13:29:29.000"
    assert rows[2]["last"] == "" and rows[2]["prev_close"] == ""
    other = tmp_path / "other.csv"
    args = ["watchlist", "--list", "Other", "--config-dir", str(cfg), "--date", str(DAY2)]
    assert export(db, *args, "--out", str(other)) == 0
    assert [r["symbol"] for r in read_csv(other)] == ["1.HK"]


def test_a_watchlist_can_be_given_as_symbols(db, tmp_path) -> None:
    out = tmp_path / "adhoc.csv"
    assert export(db, "watchlist", "--symbol", "5,00700", "--date", str(DAY1), "--out", str(out)) == 0
    rows = read_csv(out)
    assert [(r["symbol"], r["prev_close"]) for r in rows] == [("5.HK", ""), ("700.HK", "")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ticks", "--date", str(DAY2)], "needs --symbol"),
        (["ticks", "--symbol", "700"], "needs --date"),
        (["ticks", "--symbol", "tencent", "--date", str(DAY2)], "not a Hong Kong code"),
        (["ticks", "--symbol", "700", "--date", "2026-3-2x"], "--date takes a date as YYYY-MM-DD"),
        (["ticks", "--symbol", "700", "--date", str(DAY2), "--to", str(DAY2)], "--to is for bars"),
        (["bars", "--symbol", "700", "--date", str(DAY2), "--to", str(DAY1)], "is before --date"),
        (["watchlist", "--list", "Nope"], "no watchlist named 'Nope'"),
    ],
)
def test_bad_options_exit_2_with_a_reason(tmp_path, capsys, args, message) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert export(db, *args, "--config-dir", str(tmp_path), "--out", str(tmp_path / "o.csv")) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


def test_a_missing_database_or_format_is_refused(db, tmp_path, capsys) -> None:
    args = ["ticks", "--symbol", "700", "--date", str(DAY2)]
    assert export(f"sqlite:///{tmp_path / 'none.db'}", *args, "--out", str(tmp_path / "o.csv")) == 2
    assert "no database at" in capsys.readouterr().err
    assert export(db, *args, "--out", str(tmp_path / "o.json")) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err
    assert not list(tmp_path.glob("o.*"))


def test_an_empty_day_writes_the_header_and_says_so(db, tmp_path, capsys) -> None:
    out = tmp_path / "empty.csv"
    assert export(db, "ticks", "--symbol", "700", "--date", "2026-03-01", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8") == "symbol,time,ts_ms,seq,price,volume,turnover,direction\n"
    assert "nothing recorded" in capsys.readouterr().err


def test_without_db_the_export_reads_the_database_of_the_app_s_source(tmp_path) -> None:
    from hkdesk.export.source import market_db_url

    cfg = tmp_path / "cfg"
    cfg.mkdir()
    assert market_db_url(None, cfg) == f"sqlite:///{cfg / 'simulator.db'}", "the app's default feed"
    (cfg / "hkdesk.ini").write_text("[feed]\nsource=alltick\n[store]\ndb_url=sqlite:///real.db\n")
    assert market_db_url(None, cfg) == "sqlite:///real.db"
    assert market_db_url(None, cfg, "simulator") == f"sqlite:///{cfg / 'simulator.db'}"
    (cfg / "hkdesk.ini").write_text("[feed]\nsource=alltick\n")
    assert market_db_url(None, cfg) == f"sqlite:///{cfg / 'hkdesk.db'}"
    assert market_db_url("sqlite:///given.db", cfg) == "sqlite:///given.db"
