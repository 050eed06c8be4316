"""Install the UI translation chosen by the ``language`` setting.

The ``.qm`` file is read as bytes through importlib.resources (a frozen build carries it in
``hkdesk/resources/translations``), never through a path relative to the working directory.
Qt's own texts (standard dialog buttons, line-edit menus) come from Qt's ``qtbase`` catalogue
when it is installed; Qt has no Hong Kong one, so the Taiwan one (also traditional) is used.
The language installed also picks the script of the stock names shown (:func:`shown_chinese_name`).
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from hkdesk.i18n import CHINESE_HK, ENGLISH, ChineseNamed, chinese_name, resolve_language

log = logging.getLogger(__name__)

QT_CATALOGUE_LOCALE = {CHINESE_HK: "zh_TW"}
_installed: list[QTranslator] = []
_language = ENGLISH


def current_language() -> str:
    """The UI language installed last (English before any)."""
    return _language


def shown_chinese_name(info: ChineseNamed) -> str:
    """A symbol's Chinese name in the script of the installed language."""
    return chinese_name(info, _language)


def system_locale() -> str:
    """E.g. ``zh_HK_Hant``: language, territory and script, as :func:`resolve_language` takes it."""
    loc = QLocale.system()
    return f"{loc.name()}_{QLocale.scriptToCode(loc.script())}"


def qm_bytes(language: str) -> bytes | None:
    try:
        folder = resources.files("hkdesk.resources").joinpath("translations")
        return folder.joinpath(f"hkdesk_{language}.qm").read_bytes()
    except (FileNotFoundError, OSError):
        return None


def install_translation(app: QCoreApplication, setting: str) -> str:
    """Install the translators for ``setting`` (replacing earlier ones); the language in use.

    Widgets take their texts when they are built, so this runs before the window is made.
    """
    global _language
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _language = ENGLISH
    language = resolve_language(setting, system_locale())
    if language == ENGLISH:
        return ENGLISH
    data = qm_bytes(language)
    translator = QTranslator(app)
    if data is None or not translator.load(data):
        log.warning("no %s translation in hkdesk.resources; the interface stays in English", language)
        return ENGLISH
    translator.data = data  # QTranslator reads from this buffer without copying it: keep it alive
    app.installTranslator(translator)
    _installed.append(translator)
    _language = language
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale(QT_CATALOGUE_LOCALE.get(language, language)), "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return language
