"""The words for a quote's freshness, in the interface language: a short badge and a tooltip line."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from hkdesk.domain import formatting as fmt
from hkdesk.domain.freshness import Freshness, FreshnessInfo
from hkdesk.domain.quotes import hk_datetime
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.ui.feed_reasons import reason_text

translate = QCoreApplication.translate

#: The units of :func:`hkdesk.domain.formatting.age_text`, translated where an age is shown.
AGE_UNITS = {
    "s": QT_TRANSLATE_NOOP("Freshness", "s"),
    "min": QT_TRANSLATE_NOOP("Freshness", "min"),
    "h": QT_TRANSLATE_NOOP("Freshness", "h"),
    "d": QT_TRANSLATE_NOOP("Freshness", "d"),
}
_AGE_PART = re.compile(r"(\d+) (s|min|h|d)\b")


def age_text(seconds: float) -> str:
    """``2 h 5 min`` in the interface language (``2 小時 5 分鐘``)."""
    return _AGE_PART.sub(lambda m: f"{m[1]} {translate('Freshness', AGE_UNITS[m[2]])}", fmt.age_text(seconds))


def badge_text(state: Freshness) -> str:
    """Empty for live figures (nothing to warn about); one short word otherwise."""
    if state is Freshness.SNAPSHOT:
        return translate("Freshness", "snapshot")
    if state is Freshness.STORED:
        return translate("Freshness", "stored")
    if state is Freshness.STALE:
        return translate("Freshness", "stale")
    return ""


def state_name(state: Freshness) -> str:
    return {
        Freshness.LIVE: translate("Freshness", "Live"),
        Freshness.SNAPSHOT: translate("Freshness", "Snapshot"),
        Freshness.STORED: translate("Freshness", "Stored"),
        Freshness.STALE: translate("Freshness", "Stale"),
    }[state]


def tooltip(info: FreshnessInfo, now: float, last_ts: int = 0) -> str:
    """``Stale: connection lost · stopped 35 s ago · last trade 10:07:12 (2026-12-04)``."""
    parts = [state_name(info.state) + (f": {note_text(info.note)}" if info.note else "")]
    age = info.age(now)
    if age is not None:
        what = {
            Freshness.LIVE: translate("Freshness", "received {age} ago"),
            Freshness.SNAPSHOT: translate("Freshness", "fetched {age} ago"),
            Freshness.STORED: translate("Freshness", "recorded {age} ago"),
            Freshness.STALE: translate("Freshness", "stopped {age} ago"),
        }[info.state]
        parts.append(what.format(age=age_text(age)))
    if last_ts > 0:
        parts.append(
            translate("Freshness", "last trade {time}").format(
                time=f"{hk_datetime(last_ts):%H:%M:%S (%Y-%m-%d)}"
            )
        )
    return " · ".join(parts)


def note_text(note: str) -> str:
    """Why figures are not live: a freshness word, or the feed's reason (its known forms)."""
    text = translate("Freshness", note)
    return reason_text(note) if text == note else text


def part_day_text(since_ts: int) -> str:
    """A quote whose day counts only the trades from ``since_ts`` (exchange time, ms)."""
    return translate(
        "Freshness", "Today's figures count the trades from {time} only: the day before is not known here"
    ).format(time=f"{hk_datetime(since_ts):%H:%M}")
