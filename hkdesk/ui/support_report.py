"""The support file: one JSON of what the window shows, for support and for tests.

Help → Save diagnostics… writes it, and so does ``hkdesk --diagnostics PATH`` when the app quits.
Times are epoch milliseconds, prices strings (exact), and every row says whether its figures are
live, a snapshot, stored or stale, and how old they are. The token never appears: the feed URL is
written without it and every text goes through the app's redaction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

import hkdesk

if TYPE_CHECKING:
    from hkdesk.app.market import MarketService
    from hkdesk.app.watchlists import WatchlistService
    from hkdesk.ui.chart import ChartPanel
    from hkdesk.ui.watchlist_model import WatchlistModel


class Shown(Protocol):
    """What the report reads of the window."""

    market: MarketService
    model: WatchlistModel
    chart: ChartPanel
    watchlists: WatchlistService
    selected: str | None


FORMAT_VERSION = 1


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def build_report(win: Shown) -> dict[str, Any]:
    market, hub = win.market, win.market.hub
    now = time.time()
    rows = []
    for sym in win.model.symbols():
        q = hub.quotes.get(sym)
        info = hub.freshness(sym)
        age = info.age(now)
        change_pct = q.change_pct if q is not None else None
        rows.append(
            {
                "symbol": sym,
                "last": _text(q.last) if q else None,
                "bid": _text(q.bid) if q else None,
                "ask": _text(q.ask) if q else None,
                "prev_close": _text(q.prev_close) if q else None,
                "change_pct": _text(round(change_pct, 4)) if change_pct is not None else None,
                "volume": _text(q.volume) if q and q.trades else None,
                "last_ts": q.last_ts if q and q.last_ts else None,
                "state": info.state.value,
                "age_s": round(age, 3) if age is not None else None,
                "note": info.note,
            }
        )
    ticks, time_of = win.chart.ticks, win.chart.axis.to_time
    status = market.feed_status
    snapshot = market.status_snapshot()
    return {
        "format": FORMAT_VERSION,
        "version": hkdesk.__version__,
        "written_at": int(now * 1000),
        "source": market.source_text,
        "feed": {
            "state": status.state.value,
            "since": market.feed_since_ms,
            "reason": status.reason,
            "overflow": list(status.overflow),
            "rejected": list(status.rejected),
        },
        "store": {
            "ok": snapshot.writer_ok,
            "problem": snapshot.writer_detail,
            "rows_stored": snapshot.rows_stored,
        },
        "watchlist": win.watchlists.current,
        "selected": win.selected,
        "rows": rows,
        "chart": {
            "symbol": win.chart.symbol,
            "first_ts": round(time_of(float(ticks.t[0])) * 1000) if ticks.n else None,
            "last_ts": round(time_of(float(ticks.t[ticks.n - 1])) * 1000) if ticks.n else None,
            "points": ticks.n,
        },
        "alerts": [
            {
                "id": a.id,
                "symbol": a.symbol,
                "kind": a.kind.value,
                "value": _text(a.value),
                "minutes": a.minutes,
                "repeat": a.repeat_text(),
                "paused": a.paused,
                "last_fired_ts": a.last_fired_ts,
            }
            for a in (market.alerts.alerts() if market.alerts is not None else [])
        ],
        "simulator_restarts": market.simulator_restarts,
    }


def save_report_as(win: QWidget, redact: Callable[[str], str]) -> str | None:
    """Ask where, write the report there; what to tell the user (None if they cancelled)."""
    translate = QCoreApplication.translate
    path, _ = QFileDialog.getSaveFileName(
        win,
        translate("MainWindow", "Save diagnostics"),
        "hkdesk-diagnostics.json",
        translate("MainWindow", "JSON files (*.json)"),
    )
    if not path:
        return None
    try:
        save_report(win, Path(path), redact)  # type: ignore[arg-type]
    except OSError as exc:
        return translate("MainWindow", "Could not save {path}: {error}").format(path=path, error=exc)
    return translate("MainWindow", "Diagnostics saved to {path}").format(path=path)


def save_report(win: Shown, path: Path, redact: Callable[[str], str]) -> None:
    """Write the report to ``path`` (its folder is created), every text redacted."""
    text = redact(json.dumps(build_report(win), ensure_ascii=False, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
