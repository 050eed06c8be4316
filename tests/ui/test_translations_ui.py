"""The interface in English, Traditional Chinese (Hong Kong) or Simplified Chinese, by the
``language`` setting."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication
from support.desks import make_desk
from support.offline import offline_window

from hkdesk.app.settings import AppSettings
from hkdesk.app.status import GAP_WORD, LinkLevel, StatusSnapshot, source_line
from hkdesk.domain.freshness import Freshness, FreshnessInfo
from hkdesk.sim.process import start_simulator_process
from hkdesk.sources import token_store
from hkdesk.sources.token_store import TokenStore
from hkdesk.ui import translations
from hkdesk.ui.about_dialog import AboutDialog
from hkdesk.ui.engine_words import clock_text, gap_text, plan_text, source_text, token_text
from hkdesk.ui.feed_reasons import reason_text
from hkdesk.ui.freshness_text import age_text, tooltip
from hkdesk.ui.settings_dialog import SettingsDialog
from hkdesk.ui.status_bar import StatusPanel, translated_link

MENUS_ZH = ["檔案(&F)", "自選股(&W)", "檢視(&V)", "說明(&H)"]
MENUS_EN = ["&File", "&Watchlist", "&View", "&Help"]
MENUS_CN = ["文件(&F)", "自选股(&W)", "查看(&V)", "帮助(&H)"]
DOCKS_ZH = ["自選股", "買賣盤", "成交紀錄", "日誌"]
DOCKS_CN = ["自选股", "盘口", "逐笔成交", "日志"]
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
        # the engine's reason in the interface language, its details kept
        assert (
            translated_link("Backing off 3 s (cannot connect: connection refused)")
            == "稍後重試 3 s (無法連線：連線被拒)"
        )
        assert (
            translated_link("Backing off (server closed the connection (1011: overloaded))")
            == "稍後重試 (伺服器關閉連線（1011: overloaded）)"
        )
        assert (
            translated_link("Backing off 2 s (a reason of no known form)")
            == "稍後重試 2 s (a reason of no known form)"
        )
        assert translated_link("Failed: token invalid (HTTP 401)") == "失敗： 令牌無效（HTTP 401）"
        assert (
            translated_link("Backing off 1 s (NATS at nats://***@desk:4222 unreachable)")
            == "稍後重試 1 s (無法連通 NATS nats://***@desk:4222)"
        )
        # a shared desk's reasons, its upstream's own reason inside them, in a stale row's tooltip
        why = "desk vis's upstream backing off: connection lost (no close frame)"
        assert tooltip(FreshnessInfo(Freshness.STALE, 0.0, why), 0.0) == (
            "過時: 交易台 vis 的上游稍後重試：連線中斷（未收到關閉訊息）"
        )
        assert reason_text("desk vis's upstream connecting") == "交易台 vis 的上游連線中"
        assert reason_text("no desk server leads desk vis") == "交易台 vis 沒有伺服器主導"
        assert reason_text("reading today's trades from the desk") == "正在從交易台讀取今日成交"


def test_simplified_chinese_menus_docks_and_columns(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "zh_CN") as win:
        qtbot.addWidget(win)
        assert menus(win) == MENUS_CN
        assert docks(win) == (DOCKS_CN, DOCK_NAMES)
        assert headers(win) == ["代码", "英文名称", "名称", "最新价"]
        assert win.about_action.text() == "关于 hkdesk(&A)"
        assert win.watchlist.lists.currentText() == "命令行", "the list made from --symbols"
        assert win.watchlist.lists.currentData() == "Command line", "saved under its English name"


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


def test_the_settings_dialog_lists_each_language_in_its_own_script(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "zh_CN") as win:
        qtbot.addWidget(win)
        dlg = SettingsDialog(win.settings, win.tokens, win)
        items = [(dlg.language.itemText(i), dlg.language.itemData(i)) for i in range(dlg.language.count())]
        assert items == [
            ("跟随系统", ""),
            ("English", "en"),
            ("繁體中文（香港） — Traditional Chinese (Hong Kong)", "zh_HK"),
            ("简体中文 — Simplified Chinese", "zh_CN"),
        ]
        plans = [dlg.plan.itemText(i) for i in range(dlg.plan.count())]
        assert plans == ["免费", "基础", "高级", "专业"]
        dlg.deleteLater()


def test_the_token_is_described_in_the_interface_language(qtbot, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("HKDESK_TOKEN", raising=False)
    monkeypatch.setattr(token_store, "_backend", lambda: (None, token_store.NO_BACKEND))
    with offline_window(tmp_path, "zh_HK") as win:
        win.tokens = TokenStore()
        dlg = SettingsDialog(win.settings, win.tokens, win)
        assert dlg.token.placeholderText() == "（未設定） — 輸入即可替換"
        assert dlg.keyring_note.text() == (
            "此處沒有可用的作業系統鑰匙圈（此系統沒有可用的鑰匙圈後端）。在此輸入的存取權杖只用於這次執行；"
            "如要保留，請設定環境變數 HKDESK_TOKEN。目前來源：沒有。"
        )
        dlg.deleteLater()


def test_the_settings_dialog_saves_the_plan_not_its_label(qtbot, tmp_path) -> None:
    with offline_window(tmp_path, "zh_HK") as win:
        dlg = SettingsDialog(win.settings, win.tokens, win)
        dlg.plan.setCurrentIndex(dlg.plan.findData("premium"))
        dlg.language.setCurrentIndex(dlg.language.findData("zh_CN"))
        dlg.apply()
        saved = AppSettings(win.settings.config_dir)
        assert (saved.plan, saved.language) == ("premium", "zh_CN")
        dlg.deleteLater()


async def test_file_settings_opens_without_blocking_and_ok_saves(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        dlg = win.open_settings()
        assert dlg.isVisible() and dlg.windowModality() == Qt.WindowModality.WindowModal
        dlg.theme.setCurrentIndex(dlg.theme.findData("light"))
        try:
            dlg.accept()
            assert AppSettings(win.settings.config_dir).theme == "light"
            assert win.palette_.theme == "light", "the window followed the saved setting"
        finally:
            win.set_looks(theme="dark")


def test_engine_words_in_chinese() -> None:
    app = QApplication.instance()
    try:
        translations.install_translation(app, "zh_CN")
        assert plan_text("free") == "免费" and plan_text("custom") == "custom"
        assert age_text(7500) == "2 小时 5 分钟" and age_text(35) == "35 秒"
        assert token_text(f"{token_store.KEYRING_FAILED} ImportError") == "密钥环不可用： ImportError"
        assert source_text("AllTick (basic)") == "AllTick（基础）"
        assert source_text("Built-in simulator") == "内置模拟器"
        said = source_line("Shared desk (main)", True, "restarting")
        assert said == "Shared desk (main), simulated · restarting"
        assert source_text(said) == "共享交易台（main），模拟行情 · restarting"
        assert clock_text("SIM 09:30:08 · HKT 10:41") == "模拟 09:30:08 · HKT 10:41"
        assert clock_text("HKT 10:41:02") == "HKT 10:41:02"
        assert gap_text(f"{GAP_WORD} 00700 10:00:01–10:00:09") == "可能缺失 00700 10:00:01–10:00:09"
        status = StatusPanel()
        status.show_snapshot(
            StatusSnapshot("Live", LinkLevel.OK, gap_text=f"{GAP_WORD} 00005 10:00:01–10:00:02")
        )
        assert status.gap.text() == "⚠ 可能缺失 00005 10:00:01–10:00:02"
        status.deleteLater()
    finally:
        translations.install_translation(app, "en")
    assert plan_text("free") == "free" and clock_text("SIM 09:30:08 · HKT 10:41").startswith("SIM ")
    assert age_text(7500) == "2 h 5 min"


def test_system_locale_decides_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    app = QApplication.instance()
    monkeypatch.setattr(translations, "system_locale", lambda: "zh_HK_Hant")
    try:
        assert translations.install_translation(app, "") == "zh_HK"
        assert QCoreApplication.translate("MainWindow", "&Help") == "說明(&H)"
        monkeypatch.setattr(translations, "system_locale", lambda: "zh_CN_Hans")
        assert translations.install_translation(app, "") == "zh_CN"
        assert QCoreApplication.translate("MainWindow", "&Help") == "帮助(&H)"
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
