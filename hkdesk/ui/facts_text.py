"""The words under the market cap, P/E and dividend yield cells: where their figures come from
(the provider's reference data, and when it was fetched), or why a cell is empty."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from hkdesk.app.fundamentals import Missing
from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.static_info import StaticInfo
from hkdesk.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate

_MISSING = {
    Missing.NO_PROVIDER: QT_TRANSLATE_NOOP(
        "FactsText", "No reference data: this source has no provider to ask (a shared desk's desktop)"
    ),
    Missing.UNKNOWN: QT_TRANSLATE_NOOP("FactsText", "The provider has no reference data for this code"),
    Missing.FAILED: QT_TRANSLATE_NOOP(
        "FactsText", "The provider's reference data could not be fetched (the log says why)"
    ),
}


def facts_tip(facts: StaticInfo | None, missing: Missing | None, is_index: bool) -> str:
    """``From the provider's reference data, fetched 09:12 (2026-12-04)``, or why there is none."""
    if is_index:
        return translate("FactsText", "An index has no market cap, P/E or dividend yield")
    if facts is not None:
        when = datetime.fromtimestamp(facts.fetched_at, HK_TZ)
        return translate("FactsText", "From the provider's reference data, fetched {time}").format(
            time=f"{when:%H:%M (%Y-%m-%d)}"
        )
    if missing is not None:
        return translate("FactsText", _MISSING[missing])
    return translate("FactsText", "The provider's reference data is being read")
