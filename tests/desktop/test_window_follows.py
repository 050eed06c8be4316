"""The window follows the watch lists' owner and the settings; it never edits either behind their back."""

from __future__ import annotations

import asyncio

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit
from support.offline import offline_window

from hkdesk.ui.list_name_dialog import ListNameDialog
from hkdesk.ui.settings_dialog import SettingsDialog


async def test_list_changes_made_anywhere_reach_the_combo_model_and_title(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        lists = win.watchlists
        assert win.model.symbols() == lists.symbols()
        lists.add("175.HK")
        assert win.model.symbols()[-1] == "175.HK"
        assert lists.create("Banks") is None
        assert win.watchlist.lists.currentText() == "Banks" and win.model.rowCount() == 0
        assert "Banks" in win.windowTitle()
        lists.add("5.HK")
        lists.add("11.HK")
        assert win.model.symbols() == ["5.HK", "11.HK"]
        lists.move("11.HK", 0)
        assert win.model.symbols() == ["11.HK", "5.HK"]
        asked: list[str] = []
        win.lists.confirm = lambda title, question: asked.append(question) or False  # type: ignore[method-assign]
        win.lists.delete_list()
        assert "Banks" in win.watchlists.names(), "declined: nothing deleted"
        assert "Banks" in asked[0] and "2 symbols" in asked[0]
        win.lists.confirm = lambda title, question: True  # type: ignore[method-assign]
        win.lists.delete_list()
        assert "Banks" not in [win.watchlist.lists.itemText(i) for i in range(win.watchlist.lists.count())]


async def test_a_list_name_that_cannot_be_used_is_answered_while_typed(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        dlg = ListNameDialog("New watchlist", win.watchlists.name_problem, parent=win)
        ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        QTest.keyClicks(dlg.field, "tech")
        assert not ok.isEnabled() and "already" in dlg.message.text() and not dlg.message.isHidden()
        QTest.keyClicks(dlg.field, " 2")
        assert ok.isEnabled() and dlg.message.isHidden() and dlg.name() == "tech 2"
        dlg.deleteLater()


async def test_the_settings_dialog_names_the_option_that_overrides_a_field(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:  # the offline desk is started with --db
        dlg = SettingsDialog(win.settings, win.tokens, win, overridden=win.overridden)
        notes = [w.text() for w in dlg.findChildren(QLabel, "overrideNote")]
        assert len(notes) == 1 and notes[0].startswith("--db")
        desk_db = dlg.findChild(QLineEdit, "deskDb")
        desk_db.setText("postgresql+psycopg://reader@desk.example/desk")
        dlg.apply()
        assert win.settings.desk_db_url == "postgresql+psycopg://reader@desk.example/desk"
        win.settings.sync()  # as a closing window saves it: a stopped market must not start again
        await asyncio.sleep(0.05)
        assert not win.market.started and win.market.source is None
        assert win.market.config.source.desk_db == "postgresql+psycopg://reader@desk.example/desk"
        dlg.deleteLater()


async def test_theme_changes_reach_the_window_through_the_settings(qtbot, tmp_path) -> None:
    with offline_window(tmp_path) as win:
        assert win.palette_.theme == "dark" and win.model._palette.theme == "dark"
        try:
            win.set_looks(theme="light", colours="mainland")
            assert (win.settings.theme, win.settings.colours) == ("light", "mainland")
            assert (win.palette_.theme, win.palette_.convention) == ("light", "mainland")
            assert win.model._palette is win.palette_, "the watchlist repainted in the new palette"
        finally:
            win.set_looks(theme="dark", colours="hk")  # the application's style is process-wide
