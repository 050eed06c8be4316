"""Which UI language to use, and the marker for texts translated later. No Qt here.

Translations live in ``hkdesk.resources/translations`` (``hkdesk_<language>.qm``, compiled from
the ``.ts`` beside it by ``pyside6-lrelease``); :mod:`hkdesk.ui.translations` loads them.
"""

from __future__ import annotations

#: Setting values: "" follows the system locale; the rest name a UI language.
LANGUAGES = ("", "en", "zh_HK")
ENGLISH = "en"
CHINESE_HK = "zh_HK"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for extraction into ``context`` (lupdate looks for this name); translated
    where it is shown."""
    return text


def resolve_language(setting: str, system_locale: str) -> str:
    """The UI language for a ``language`` setting; ``system_locale`` is e.g. ``zh_Hant_HK``, ``en_GB``.

    Chinese written in traditional characters (Hong Kong, Macau, Taiwan, or ``Hant``) gets the
    Hong Kong translation; every other locale, simplified Chinese included, gets English.
    """
    if setting in (ENGLISH, CHINESE_HK):
        return setting
    parts = system_locale.replace("-", "_").split("_")
    if parts[0] == "zh" and ({"Hant", "HK", "MO", "TW"} & set(parts[1:])):
        return CHINESE_HK
    return ENGLISH
