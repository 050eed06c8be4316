"""The words for a quote's freshness, in the interface language: a short badge and a tooltip line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hkdesk.domain import formatting as fmt
from hkdesk.domain.freshness import Freshness, FreshnessInfo
from hkdesk.domain.quotes import hk_datetime

_CONTEXT = "Freshness"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def badge_text(state: Freshness) -> str:
    """Empty for live figures (nothing to warn about); one short word otherwise."""
    if state is Freshness.SNAPSHOT:
        return _tr("snapshot")
    if state is Freshness.STORED:
        return _tr("stored")
    if state is Freshness.STALE:
        return _tr("stale")
    return ""


def state_name(state: Freshness) -> str:
    return {
        Freshness.LIVE: _tr("Live"),
        Freshness.SNAPSHOT: _tr("Snapshot"),
        Freshness.STORED: _tr("Stored"),
        Freshness.STALE: _tr("Stale"),
    }[state]


def tooltip(info: FreshnessInfo, now: float, last_ts: int = 0) -> str:
    """``Stale: connection lost · stopped 35 s ago · last trade 10:07:12 (2026-12-04)``."""
    parts = [state_name(info.state) + (f": {_tr(info.note)}" if info.note else "")]
    age = info.age(now)
    if age is not None:
        what = {
            Freshness.LIVE: _tr("received {age} ago"),
            Freshness.SNAPSHOT: _tr("fetched {age} ago"),
            Freshness.STORED: _tr("recorded {age} ago"),
            Freshness.STALE: _tr("stopped {age} ago"),
        }[info.state]
        parts.append(what.format(age=fmt.age_text(age)))
    if last_ts > 0:
        parts.append(_tr("last trade {time}").format(time=f"{hk_datetime(last_ts):%H:%M:%S (%Y-%m-%d)}"))
    return " · ".join(parts)
