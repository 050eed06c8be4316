"""Words the engines hand up in English (logs and tests read them so), in the interface language.

Plan names, where the token comes from, the quote source, the simulator's clock and the gap
marker are marked for translation where they are made (``QT_TRANSLATE_NOOP``) and translated
here, where they are shown. Details after them (a reason, a symbol, a time) stay as they are.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from hkdesk.app.status import GAP_WORD, SIM_CLOCK, SIMULATED_SOURCE
from hkdesk.i18n import QT_TRANSLATE_NOOP
from hkdesk.sources.token_store import KEYRING_FAILED

translate = QCoreApplication.translate

PLAN_WORDS = {
    "free": QT_TRANSLATE_NOOP("Plan", "free"),
    "basic": QT_TRANSLATE_NOOP("Plan", "basic"),
    "premium": QT_TRANSLATE_NOOP("Plan", "premium"),
    "professional": QT_TRANSLATE_NOOP("Plan", "professional"),
}
_ALLTICK_SOURCE = re.compile(r"AllTick \((\w+)\)")
_DESK_SOURCE = re.compile(r"Shared desk \((.+)\)")
_SIMULATED_END = SIMULATED_SOURCE.format(source="")


def plan_text(name: str) -> str:
    """An AllTick plan's name (``free``, ``basic``…) in the interface language."""
    return translate("Plan", PLAN_WORDS[name]) if name in PLAN_WORDS else name


def token_text(text: str) -> str:
    """The token store's words (a mask, a source, why no keyring) in the interface language."""
    if text.startswith(KEYRING_FAILED):
        return translate("Token", KEYRING_FAILED) + text[len(KEYRING_FAILED) :]
    return translate("Token", text)


def source_text(text: str) -> str:
    """The status bar's quote source: the built-in simulator, ``AllTick (plan)`` or ``Shared desk
    (name)``; a problem after `` · `` (a simulator being restarted) stays as the engine wrote it."""
    source, sep, problem = text.partition(" · ")
    simulated = source.endswith(_SIMULATED_END)
    source = source.removesuffix(_SIMULATED_END)
    if m := _ALLTICK_SOURCE.fullmatch(source):
        source = translate("Status", "AllTick ({plan})").format(plan=plan_text(m.group(1)))
    elif m := _DESK_SOURCE.fullmatch(source):
        source = translate("Status", "Shared desk ({desk})").format(desk=m.group(1))
    else:
        source = translate("Status", source)
    if simulated:  # a source reached by URL said it is the simulator
        source = translate("Status", SIMULATED_SOURCE).format(source=source)
    return source + sep + problem


def clock_text(text: str) -> str:
    """``SIM 09:30:08 · HKT 10:41``: the simulator's word translated, the times and zone kept."""
    if text.startswith(SIM_CLOCK):
        return translate("Status", SIM_CLOCK) + text[len(SIM_CLOCK) :]
    return text


def gap_text(text: str) -> str:
    """``gap? 00700 10:01:02–10:01:09``: the marker's word translated, the rest kept."""
    if text.startswith(GAP_WORD):
        return translate("Status", GAP_WORD) + text[len(GAP_WORD) :]
    return text
