"""Formatting, chart buffers and bars, watchlist files, token storage and redaction."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest

from hkdesk.app.token_store import ENV_VAR, TokenStore, make_redactor, mask
from hkdesk.app.watchlists import DEFAULT_LISTS, Watchlists, WatchlistStore
from hkdesk.domain import formatting as fmt
from hkdesk.ui.chart_data import BarSeries, TickBuffer, aggregate, bucket_start


def test_number_formats() -> None:
    assert fmt.price_text(Decimal("385.2")) == "385.200"
    assert fmt.price_text(Decimal("26543.219"), is_index=True) == "26,543.22"
    assert fmt.amount_text(Decimal(950)) == "950"
    assert fmt.amount_text(Decimal(12_345)) == "12.35K"
    assert fmt.amount_text(Decimal(3_210_000)) == "3.21M"
    assert fmt.amount_text(Decimal(4_500_000_000)) == "4.50B"
    assert fmt.change_text(Decimal("-0.4")) == "▼0.400"
    assert fmt.change_text(Decimal(0)) == "0.000"
    assert fmt.percent_text(Decimal("1.234")) == "▲1.23%"
    assert fmt.price_text(None) == fmt.EMPTY
    # 2026-11-27 01:30:05 UTC is 09:30:05 in Hong Kong
    assert fmt.time_text(1_795_743_005_000) == "09:30:05"


def test_tick_buffer_grows_without_losing_order_and_drops_oldest_half() -> None:
    buf = TickBuffer(capacity=4, max_capacity=16)
    for i in range(10):
        buf.append(float(i), 100.0 + i, 10.0)
    assert buf.n == 10 and list(buf.t[:3]) == [0.0, 1.0, 2.0]
    assert buf.vwap[buf.n - 1] == pytest.approx(np.mean(100.0 + np.arange(10)))
    buf.extend(np.arange(10, 20, dtype=float), np.full(10, 50.0), np.full(10, 1.0))
    assert buf.n <= 16
    assert buf.t[buf.n - 1] == 19.0
    assert np.all(np.diff(buf.t[: buf.n]) > 0)


def test_bars_align_to_hong_kong_clock_and_track_the_forming_bar() -> None:
    # 09:30:00 HKT on 2026-11-27 = 01:30 UTC
    t0 = 1_795_743_000.0
    assert bucket_start(t0 + 299, 300) == t0
    t = t0 + np.array([0, 10, 70, 130, 301])
    p = np.array([10.0, 11.0, 9.0, 10.5, 12.0])
    v = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    bars = aggregate(t, p, v, 60)
    assert bars.shape == (4, 6)
    assert list(bars[0]) == [t0, 10.0, 11.0, 10.0, 11.0, 3.0]
    series = BarSeries(60)
    series.load(t, p, v)
    assert series.n == 3 and series.forming is not None and series.forming[0] == t0 + 300
    assert not series.add(t0 + 330, 13.0, 1.0)
    assert series.forming[2] == 13.0 and series.forming[5] == 6.0
    assert series.add(t0 + 400, 12.5, 1.0)
    assert series.n == 4
    assert series.bar_at(t0 + 65)[4] == 9.0


def test_watchlists_round_trip_and_validate(tmp_path) -> None:
    store = WatchlistStore(tmp_path)
    wl = store.load()
    assert wl.lists == DEFAULT_LISTS
    wl.lists["Mine"] = ["700.HK", "5.HK"]
    wl.current = "Mine"
    store.save(wl)
    again = WatchlistStore(tmp_path).load()
    assert again.current == "Mine" and again.symbols() == ["700.HK", "5.HK"]
    raw = json.loads((tmp_path / "watchlists.json").read_text(encoding="utf-8"))
    raw["lists"]["Mine"] = ["00700", "0700.HK", "not a code", 5]
    (tmp_path / "watchlists.json").write_text(json.dumps(raw), encoding="utf-8")
    assert WatchlistStore(tmp_path).load().lists["Mine"] == ["700.HK"]


def test_corrupt_watchlists_fall_back_to_defaults_and_keep_the_file(tmp_path) -> None:
    (tmp_path / "watchlists.json").write_text("{not json", encoding="utf-8")
    store = WatchlistStore(tmp_path)
    wl = store.load()
    assert isinstance(wl, Watchlists) and wl.lists == DEFAULT_LISTS
    assert store.problem and "default" in store.problem
    assert (tmp_path / "watchlists.json.bad").read_text(encoding="utf-8") == "{not json"


def test_command_line_list_is_not_saved(tmp_path) -> None:
    store = WatchlistStore(tmp_path)
    wl = store.load(["700.HK"])
    assert wl.current == "Command line" and wl.symbols() == ["700.HK"]
    store.save(wl)
    assert (
        "Command line" not in json.loads((tmp_path / "watchlists.json").read_text(encoding="utf-8"))["lists"]
    )


def test_token_store_without_keyring_uses_environment(monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, "env-secret-123")
    store = TokenStore(use_keyring=False)
    assert store.get() == "env-secret-123"
    assert store.status().source == "environment" and not store.status().keyring_available
    assert not store.set("typed-secret-456")  # nowhere safe to keep it: session only
    assert store.get() == "typed-secret-456"
    redact = make_redactor(store)
    line = "wss://host/ws?token=typed-secret-456&x=1 env-secret-123"
    assert "secret" not in redact(line)
    assert mask("typed-secret-456") == "●●●●●●●● (set)"


def test_token_override_wins(monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-env-1")
    assert TokenStore("from-cli-1", use_keyring=False).get() == "from-cli-1"


def test_unreadable_settings_file_falls_back_to_defaults_and_is_kept(tmp_path, caplog) -> None:
    from hkdesk.app.settings import AppSettings, FeedSource

    (tmp_path / "hkdesk.ini").write_bytes(b"[ui\x00\xff\xfe garbage\n=====\n[[[\ntheme=purple\n\x01\x02")
    with caplog.at_level("WARNING"):
        settings = AppSettings(tmp_path)
    assert settings.theme == "dark" and settings.feed_source is FeedSource.SIMULATOR
    assert (tmp_path / "hkdesk.ini.corrupt").exists()
    assert any("could not be read" in r.getMessage() for r in caplog.records)
    settings.theme = "light"
    settings.q.sync()
    assert AppSettings(tmp_path).theme == "light"


def test_out_of_range_setting_values_fall_back_to_defaults(tmp_path) -> None:
    from hkdesk.app.settings import AppSettings

    (tmp_path / "hkdesk.ini").write_text("[ui]\ntheme=purple\ncolours=rainbow\n[feed]\nplan=platinum\n")
    settings = AppSettings(tmp_path)
    assert (settings.theme, settings.colours, settings.plan) == ("dark", "hk", "free")


def test_exception_hooks_log_and_keep_running(caplog) -> None:
    import asyncio
    import sys
    import threading

    from hkdesk.app.diagnostics import ExceptionHooks

    loop = asyncio.new_event_loop()
    hooks = ExceptionHooks()
    hooks.install(loop)
    try:
        with caplog.at_level("ERROR", logger="hkdesk.errors"):
            try:
                raise RuntimeError("boom in a slot")
            except RuntimeError:
                sys.excepthook(*sys.exc_info())
            worker = threading.Thread(target=lambda: 1 / 0, name="worker-x")
            worker.start()
            worker.join()

            def fail() -> None:
                raise ValueError("boom in a callback")

            loop.call_soon(fail)
            loop.run_until_complete(asyncio.sleep(0.01))
    finally:
        hooks.uninstall()
        loop.close()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert hooks.count == 3
    assert "boom in a slot" in text and "worker-x" in text and "boom in a callback" in text
