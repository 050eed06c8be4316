"""Alerts in words of the interface language: kinds, rules, repeat, state and firings.

The engine's own texts (:meth:`Alert.describe`, the log's condition) are English, for logs and the
command line; the window builds its words here from the alert's kind and figures instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain import formatting as fmt
from hkdesk.domain.symbols import SymbolInfo, display_code
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.store.schema import decimal_text
from hkdesk.ui.translations import ENGLISH, current_language, shown_chinese_name

translate = QCoreApplication.translate

KIND_NAMES = {
    Kind.ABOVE: QT_TRANSLATE_NOOP("Alerts", "Price at or above"),
    Kind.BELOW: QT_TRANSLATE_NOOP("Alerts", "Price at or below"),
    Kind.CHANGE_ABOVE: QT_TRANSLATE_NOOP("Alerts", "Change % from previous close at or above"),
    Kind.CHANGE_BELOW: QT_TRANSLATE_NOOP("Alerts", "Change % from previous close at or below"),
    Kind.MOVE: QT_TRANSLATE_NOOP("Alerts", "Move of % within minutes"),
    Kind.VOLUME_SURGE: QT_TRANSLATE_NOOP("Alerts", "Volume surge within minutes"),
}
_RULES = {
    Kind.ABOVE: QT_TRANSLATE_NOOP("Alerts", "price ≥ {value}"),
    Kind.BELOW: QT_TRANSLATE_NOOP("Alerts", "price ≤ {value}"),
    Kind.CHANGE_ABOVE: QT_TRANSLATE_NOOP("Alerts", "change ≥ {value}% from the previous close"),
    Kind.CHANGE_BELOW: QT_TRANSLATE_NOOP("Alerts", "change ≤ {value}% from the previous close"),
    Kind.MOVE: QT_TRANSLATE_NOOP("Alerts", "moves {value}% within {minutes} min"),
    Kind.VOLUME_SURGE: QT_TRANSLATE_NOOP("Alerts", "volume of {minutes} min ≥ {value}× its recent average"),
}


def kind_name(kind: Kind) -> str:
    return translate("Alerts", KIND_NAMES[kind])


def rule_text(alert: Alert) -> str:
    """``price ≥ 400.2``, ``moves 2.5% within 5 min``…"""
    value = decimal_text(alert.value)
    if alert.kind is Kind.CHANGE_ABOVE and alert.value > 0:
        value = f"+{value}"
    return translate("Alerts", _RULES[alert.kind]).format(value=value, minutes=alert.minutes)


def repeat_text(alert: Alert) -> str:
    if alert.cooldown_minutes is None:
        return translate("Alerts", "once")
    return translate("Alerts", "re-arms after {n} min").format(n=alert.cooldown_minutes)


def state_text(alert: Alert) -> str:
    """Paused, spent (a once-alert that fired), cooling down until a time, or armed."""
    if alert.paused:
        return translate("Alerts", "paused")
    if alert.spent:
        return translate("Alerts", "fired")
    rearm = alert.rearms_at()
    if rearm is not None:
        return translate("Alerts", "re-arms at {time}").format(time=fmt.time_text(rearm))
    return translate("Alerts", "armed")


def symbol_title(symbol: str, universe: dict[str, SymbolInfo]) -> str:
    """Code and name: the English name in English, the Chinese one in a Chinese interface."""
    info = universe.get(symbol)
    if info is None:
        return display_code(symbol)
    name = info.name_en if current_language() == ENGLISH else shown_chinese_name(info)
    return f"{display_code(symbol)} {name or info.name_en}"


def fired_text(alert: Alert, price: object, ts: int) -> str:
    """What a notification and a row's mark say: the rule, the price and the exchange time."""
    return translate("Alerts", "{rule}: traded at {price} at {time}").format(
        rule=rule_text(alert), price=price, time=fmt.time_text(ts)
    )
