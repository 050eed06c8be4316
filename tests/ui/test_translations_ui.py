"""The interface in Traditional Chinese (Hong Kong) or English, by the ``language`` setting."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from support.desks import make_desk
from support.offline import offline_window

from hkdesk.app.settings import AppSettings
from hkdesk.sim.process import start_simulator_process
from hkdesk.ui import translations
from hkdesk.ui.about_dialog import AboutDialog
from hkdesk.ui.settings_dialog import SettingsDialog
from hkdesk.ui.status_bar import translated_link

MENUS_ZH = ["檔案(&F)", "自選股(&W)", "檢視(&V)", "說明(&H)"]
MENUS_EN = ["&File", "&Watchlist", "&View", "&Help"]
DOCKS_ZH = ["自選股", "買賣盤", "成交紀錄", "日誌"]
DOCKS_EN = ["Watchlist", "Depth", "Time && Sales", "Log"]
DOCK_NAMES = ["dock_watchlist", "dock_depth", "dock_time_sales", "dock_log"]


def menus(win) -> list[str]:
    return [a.text() for a in win.menuBar().actions()]


def docks(win) -> tuple[list[str], list[str]]:
    found = (win.dock_watchlist, win.dock_depth, win.dock_tape, win.dock_log)
    return [d.windowTitle() for d in found], [d.objectName() for d in found]


def headers(win) -> list[str]:
    return [win.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]


def test_chinese_menus_docks_and_columns(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "zh_HK") as win:
        qtbot.addWidget(win)
        assert menus(win) == MENUS_ZH
        assert docks(win) == (DOCKS_ZH, DOCK_NAMES)  # the saved layout keeps its English keys
        assert headers(win) == ["代號", "英文名稱", "名稱", "現價"]
        assert win.about_action.text() == "關於 hkdesk(&A)"
        assert translated_link("Failed: simulator did not start") == "失敗： simulator did not start"
        assert translated_link("Live") == "即時"


def test_english_keeps_english(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "en") as win:
        qtbot.addWidget(win)
        assert menus(win) == MENUS_EN
        assert docks(win) == (DOCKS_EN, DOCK_NAMES)
        assert headers(win) == ["Code", "Name", "名稱", "Last"]
        assert translated_link("Live") == "Live"


def test_dialogs_in_chinese(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "zh_HK") as win:
        qtbot.addWidget(win)
        settings = SettingsDialog(win.settings, win.tokens, win)
        about = AboutDialog(win)
        assert settings.windowTitle() == "hkdesk 設定"
        assert about.windowTitle() == "關於 hkdesk"
        assert settings.language.itemData(settings.language.currentIndex()) == ""


def test_system_locale_decides_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    app = QApplication.instance()
    monkeypatch.setattr(translations, "system_locale", lambda: "zh_HK_Hant")
    try:
        assert translations.install_translation(app, "") == "zh_HK"
        assert QCoreApplication.translate("MainWindow", "&Help") == "說明(&H)"
        monkeypatch.setattr(translations, "system_locale", lambda: "en_GB_Latn")
        assert translations.install_translation(app, "") == "en"
        assert QCoreApplication.translate("MainWindow", "&Help") == "&Help"
    finally:
        translations.install_translation(app, "en")


def test_settings_dialog_saves_the_language(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        qtbot.addWidget(win)
        dlg = SettingsDialog(win.settings, win.tokens, win)
        dlg.language.setCurrentIndex(dlg.language.findData("zh_HK"))
        dlg.apply()
        assert AppSettings(win.settings.config_dir).language == "zh_HK"


async def test_the_app_starts_in_the_language_of_its_settings(qtbot, tmp_path) -> None:
    AppSettings(tmp_path / "cfg").language = "zh_HK"
    with start_simulator_process(["--seed", "5", "--request-spacing", "0.02"]) as sim:
        desk = make_desk(tmp_path / "cfg", f"sqlite:///{tmp_path / 't.db'}", sim_url=sim.ws_url)
        try:
            win = await asyncio.wait_for(desk.open(), timeout=20)
            assert menus(win) == MENUS_ZH
        finally:
            await desk.close()
            translations.install_translation(QApplication.instance(), "en")
