"""The real window in each Chinese interface, on its own simulator, shows no English that should
have been translated: window, docks, menus, tables, status bar, chart (axes and read-out
included), depth ladder, the settings dialog and the about dialog.

What stays as it is in every language is allowed by name: product names, codes, units, web
addresses, figures, the stocks' names (the English name column) and the English names given
beside each language. The log panel is a diagnostic record and stays in English.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication, QHeaderView, QTableWidget, QWidget
from support.desks import make_desk
from support.visible_text import EnglishJudge, Found, menu_texts, painted_texts, view_texts, widget_texts
from support.waits import wait_until

from hkdesk.alerts.model import Alert, Kind
from hkdesk.app.settings import AppSettings
from hkdesk.domain.symbols import default_universe
from hkdesk.i18n import LANGUAGE_NAMES
from hkdesk.ui.tool_menus import open_shortcuts
from hkdesk.ui.translations import install_translation
from hkdesk.ui.watchlist_rows import OPTIONAL

PRODUCTS_AND_CODES = (
    "hkdesk",
    "AllTick",
    "Qt",
    "PySide6",
    "Python",
    "SQLite",
    "LGPL-3.0",
    "HKDESK_TOKEN",
    "HKT",
    "HSI",
    "HSCEI",
    "HSTECH",
    "--db",  # command-line options, named in the settings dialog
    "--url",
    "--plan",
    "--desk",
    "NATS",  # the shared desk's messaging system, its address and this desktop's id on it
    "URL",
    "ID",
    "main",  # the default desk's name: an identifier every desk server and desktop shares
    "CSV",  # file formats and the indicators' names, as every trading platform writes them
    "Excel",
    "csv",
    "xlsx",
    "MACD",
    "RSI",
)
UNITS = ("K", "M", "B")
NOT_SET = {"zh_HK": "未設定", "zh_CN": "未设置"}
MENU = {"zh_HK": "說明(&H)", "zh_CN": "帮助(&H)"}


def judge() -> EnglishJudge:
    names = [
        n for i in default_universe().values() for n in (i.name_en, i.name_zh, getattr(i, "name_zh_hans", ""))
    ]
    english_names = [english for _, english in LANGUAGE_NAMES.values()]
    return EnglishJudge([*PRODUCTS_AND_CODES, *names, *english_names], units=UNITS)


def about_data(w: QWidget) -> bool:
    """The about dialog's facts (versions, platform) and its components table are data."""
    return w.objectName().startswith("about_") or w.objectName() == "aboutComponents"


def not_words(w: QWidget) -> bool:
    return w.objectName() == "logPanel" or isinstance(w, QHeaderView)


@pytest.mark.parametrize("language", ["zh_HK", "zh_CN"])
async def test_no_english_left_in_the_chinese_interface(qtbot, tmp_path, monkeypatch, language) -> None:
    monkeypatch.delenv("HKDESK_TOKEN", raising=False)
    cfg = tmp_path / "cfg"
    AppSettings(cfg).language = language
    desk = make_desk(cfg, f"sqlite:///{tmp_path / 'zh.db'}")
    try:
        win = await desk.open()
        await wait_until(lambda: desk.market.link()[0] == "Live", timeout=30, what="a live feed")
        await wait_until(lambda: win.chart.ticks.n > 3, what="trades on the chart")
        await wait_until(lambda: win.tape_model.rowCount() > 3, what="trades in time & sales")
        await wait_until(lambda: win.depth.ladder_rows()[0], what="an order book")
        win.refresh_status()
        chart = win.chart
        chart.crosshair.pointer_inside = True
        chart.redraw(force=True)
        last = chart.ticks.n - 1
        (x0, x1), (y0, y1) = chart.price_plot.getViewBox().viewRange()
        # the last trade, or the nearest point in view when trades came after the last frame
        at = QPointF(
            min(max(float(chart.ticks.t[last]), x0), x1), min(max(float(chart.ticks.price[last]), y0), y1)
        )
        chart.crosshair.show_at(chart.price_plot.getViewBox().mapViewToScene(at))
        assert chart.readout.text(), "the crosshair read-out should be showing"
        for plot in (chart.price_plot, chart.volume_plot):
            for name in ("right", "bottom"):
                plot.getAxis(name).setStyle()  # drop the cached drawing, so the labels are painted anew

        found: Found = widget_texts(win, skip=not_words) + menu_texts(win.menuBar().actions())
        with painted_texts() as painted:
            win.grab()
        found += [("painted", text) for text in painted]
        assert any("賣" in t or "卖" in t for t in painted), "the ladder's words should have been caught"

        settings = win.open_settings()
        found += widget_texts(settings, skip=not_words)
        placeholder = settings.token.placeholderText()
        settings.reject()
        about = win.open_about()
        found += widget_texts(about, skip=lambda w: about_data(w) or not_words(w))
        found += view_texts(about.table, data_columns=range(about.table.columnCount()))
        about.reject()

        found += await tools_texts(desk, win)

        assert NOT_SET[language] in placeholder
        assert (("menu", MENU[language])) in found
        left = judge().english(found)
        assert left == [], "\n".join(f"{w}: {t}" for w, t in left)
    finally:
        await desk.close()
        install_translation(QApplication.instance(), "en")


async def tools_texts(desk, win) -> Found:
    """The tools' words: the Alerts dock with an alert, every optional column, a chart window,
    the context menus and the dialogs (the shortcut list's keys are keyboard legends: data)."""
    tools = win.tools
    win.dock_alerts.show()
    await desk.alerts.add([Alert("700.HK", Kind.MOVE, Decimal("2"), minutes=5, cooldown_minutes=10)])
    await wait_until(lambda: tools.alerts_panel.alerts_model.rowCount() == 1, what="the alert listed")
    for col in OPTIONAL:
        tools.columns.set_shown(col, True)
    window = tools.open_chart_window("5.HK")
    found: Found = widget_texts(win, skip=not_words) + widget_texts(window, skip=not_words)
    chart_menu = tools.equipment[win.panels][2]
    menus = (
        tools.row_menu_for("700.HK"),
        tools.columns.menu(),
        chart_menu.menu(400.0),
        tools.tape_menu.menu(0),
        tools.alerts_panel.more_menu,
        window.chip.menu(),
    )
    for menu in menus:
        found += menu_texts(menu.actions(), "context menu")
    for dialog in (
        tools.alerts_panel.new_alert("700.HK", Kind.MOVE, Decimal("2")),
        tools.export_dialog("bars"),
    ):
        found += widget_texts(dialog, skip=not_words)
        dialog.reject()
    keys = open_shortcuts(win)
    found += widget_texts(keys, skip=lambda w: not_words(w) or isinstance(w, QTableWidget))
    found += view_texts(keys.table, data_columns=[0])
    keys.reject()
    window.close()
    return found


def test_the_judge_finds_english_and_lets_codes_and_names_be() -> None:
    j = judge()
    kept = [
        ("a", "00700  TENCENT  騰訊控股"),
        ("b", "成交量 12.50K"),
        ("c", "wss://quote.alltick.co/x"),
        ("d", "HKT 10:41"),
    ]
    caught = [("e", "Time && Sales"), ("f", "B"), ("g", "（not set）"), ("h", "SIM 09:30:08")]
    assert j.english(kept + caught) == caught
