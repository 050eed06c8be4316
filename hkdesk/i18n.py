"""Which UI language to use, how each is named, and the marker for texts translated later. No Qt here.

Translations live in ``hkdesk.resources/translations`` (``hkdesk_<language>.qm``, compiled from
the ``.ts`` beside it by ``pyside6-lrelease``); :mod:`hkdesk.ui.translations` loads them.
"""

from __future__ import annotations

from typing import Protocol

ENGLISH = "en"
CHINESE_HK = "zh_HK"
CHINESE_CN = "zh_CN"
#: Setting values: "" follows the system locale; the rest name a UI language.
LANGUAGES = ("", ENGLISH, CHINESE_HK, CHINESE_CN)
#: Each language in its own script, and its English name (shown beside it where they differ).
LANGUAGE_NAMES = {
    ENGLISH: ("English", "English"),
    CHINESE_HK: ("繁體中文（香港）", "Traditional Chinese (Hong Kong)"),
    CHINESE_CN: ("简体中文", "Simplified Chinese"),
}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for extraction into ``context`` (lupdate looks for this name); translated
    where it is shown."""
    return text


def language_label(language: str) -> str:
    """``简体中文 — Simplified Chinese``: readable by whoever needs it, whatever the UI is in."""
    own, english = LANGUAGE_NAMES[language]
    return own if own == english else f"{own} — {english}"


def resolve_language(setting: str, system_locale: str) -> str:
    """The UI language for a ``language`` setting; ``system_locale`` is e.g. ``zh_Hant_HK``, ``en_GB``.

    For Chinese the script decides when the locale names one (``Hant`` → Hong Kong, ``Hans`` →
    simplified); otherwise Hong Kong, Macau and Taiwan get the Hong Kong translation and every
    other Chinese locale (mainland, Singapore, plain ``zh``) the simplified one. Any other
    language gets English.
    """
    if setting in LANGUAGE_NAMES:
        return setting
    parts = system_locale.replace("-", "_").split("_")
    if parts[0] != "zh":
        return ENGLISH
    rest = set(parts[1:])
    if "Hant" in rest:
        return CHINESE_HK
    if "Hans" in rest:
        return CHINESE_CN
    return CHINESE_HK if rest & {"HK", "MO", "TW"} else CHINESE_CN


class ChineseNamed(Protocol):
    """A symbol's names as :class:`hkdesk.domain.symbols.SymbolInfo` holds them."""

    @property
    def name_zh(self) -> str: ...

    @property
    def name_zh_hans(self) -> str: ...


def chinese_name(info: ChineseNamed, language: str) -> str:
    """The symbol's Chinese name in the script of ``language``: the simplified name in the
    simplified interface when the symbols file has one (``name_zh_hans``), else the traditional."""
    if language == CHINESE_CN:
        return info.name_zh_hans or info.name_zh
    return info.name_zh
