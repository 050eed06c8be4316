"""The advisor's tools, fitted to the main window: the Alerts dock and what a firing does, the
context menus (rows, header, chart, time & sales), per-list columns, chart windows in link
groups, indicators and alert lines on every chart, exports, the keyboard and the text size.

The window calls four hooks: :meth:`selected` when its symbol changes, :meth:`refresh` every
frame, :meth:`lists_changed` when the list shown changes, and :meth:`close`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from hkdesk.alerts.model import Kind
from hkdesk.app.alert_service import AlertService
from hkdesk.app.year_range import year_ranges
from hkdesk.domain.sessions import HK_OFFSET_MS, hk_now
from hkdesk.export.writers import ExportError
from hkdesk.ui.alert_dialog import AlertDialog
from hkdesk.ui.alert_notifier import AlertNotifier
from hkdesk.ui.alert_text import fired_text
from hkdesk.ui.alerts_panel import AlertsPanel
from hkdesk.ui.background import spawn
from hkdesk.ui.chart_alert_lines import AlertLines
from hkdesk.ui.chart_indicators import IndicatorOverlay
from hkdesk.ui.chart_menu import ChartMenu
from hkdesk.ui.chart_window import ChartWindow
from hkdesk.ui.chart_windows import ChartWindows
from hkdesk.ui.column_chooser import ColumnChooser
from hkdesk.ui.docks import Dock
from hkdesk.ui.export_dialog import ExportDialog, ExportRequest, write_export
from hkdesk.ui.fact_columns import FactColumns
from hkdesk.ui.freshness_text import badge_text
from hkdesk.ui.row_menu import quote_text, row_menu
from hkdesk.ui.symbol_panels import SymbolPanels
from hkdesk.ui.tape_menu import TapeMenu
from hkdesk.ui.theme import app_icon
from hkdesk.ui.tool_host import ToolHost
from hkdesk.ui.tool_menus import add_tool_menus
from hkdesk.ui.watchlist_model import SYMBOL_ROLE
from hkdesk.ui.watchlist_panel import list_title
from hkdesk.ui.watchlist_rows import Col

_DAY_MS = 86_400_000
_YEAR_COLUMNS = {Col.HIGH_52W, Col.LOW_52W}
#: The Alerts dock's share of the window's height when it is shown at the bottom.
ALERTS_SHARE = 0.22


class WindowTools(QObject):
    def __init__(self, win: ToolHost, alerts: AlertService | None) -> None:
        super().__init__(win)  # type: ignore[arg-type]
        self.win = win
        self.alerts = alerts or AlertService(win.settings.config_dir, parent=self)
        settings, view = win.settings, win.watchlist.view
        self._year_stale, self._year_day, self._year_task = True, -2, None
        self._shown_columns: set[int] = set()
        self.facts = FactColumns(win)
        self.columns = ColumnChooser(view, win.watchlist.columns, settings, self._columns_shown)
        self.columns.load(win.watchlists.current)

        self.alerts_panel = AlertsPanel(self.alerts, win.universe, settings, self.tell, win.model.clear_marks)
        win.dock_alerts = Dock("alerts", self.tr("Alerts"), self.alerts_panel, win)
        win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, win.dock_alerts)
        win.tabifyDockWidget(win.dock_log, win.dock_alerts)
        win.dock_alerts.hide()  # until asked for (View → Alerts, Ctrl+5, a new alert): the layout stays
        win.dock_alerts.visibilityChanged.connect(self._alerts_shown)
        self.notifier = AlertNotifier(
            win.universe, app_icon(), win.status.showMessage, lambda: settings.alert_sound, self
        )
        self.alerts.fired.connect(self._fired)
        self.alerts.logged.connect(self.alerts_panel.refresh_log)
        self.alerts.changed.connect(self._alerts_changed)

        self.charts = ChartWindows(
            win.market.hub,
            lambda: win.palette_,
            win.market.reads,
            win.universe,
            win.info_title,
            self.equip,
            self._main_follows,
            win.market.set_ladders,
            win.market.filler.history_changed,
            win,  # type: ignore[arg-type]
        )
        win.watchlist.top.insertWidget(0, self.charts.main_chip)
        self.equipment: dict[SymbolPanels, tuple[IndicatorOverlay, AlertLines, ChartMenu]] = {}
        self.equip(win.panels)

        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._row_menu)
        view.open_pressed.connect(lambda: win.selected and self.open_chart_window(win.selected))
        self.tape_menu = TapeMenu(win.tape, lambda: self.export_dialog("ticks"))
        self.menu_shown: QMenu | None = None
        self.text_size = add_tool_menus(win, self)
        self.text_size.apply_rows()

    # ------------------------------------------------------------ window hooks
    def selected(self, symbol: str) -> None:
        self.charts.main_selected(symbol)

    def refresh(self, dirty_books: set[str]) -> None:
        self.charts.refresh(dirty_books)
        hub = self.win.market.hub
        if hub.day != self._year_day and hub.day >= 0:
            self._year_day, self._year_stale = hub.day, True
        if self._year_stale and self._shown_columns & _YEAR_COLUMNS:
            self._load_year_ranges()
        self.facts.refresh()

    def lists_changed(self, old: str, new: str) -> None:
        self.columns.follow(old, new, self.win.watchlists.names())
        self._year_stale = True
        self.facts.list_changed()

    def set_palette(self) -> None:
        palette = self.win.palette_
        self.charts.set_palette(palette)
        for overlay, _, _ in self.equipment.values():
            overlay.set_palette(palette)

    def close(self) -> None:
        self.charts.close_all()
        self.notifier.close()

    def tell(self, text: str) -> None:
        self.win.status.showMessage(text, 8000)

    # ------------------------------------------------------------ alerts
    def _fired(self, events) -> None:
        for e in events:
            self.win.model.mark_alert(e.symbol, fired_text(e.alert, e.price, e.ts))
        self.notifier.notify(events)

    def _alerts_changed(self) -> None:
        for _, lines, _ in self.equipment.values():
            lines.refresh()

    def _alerts_shown(self, visible: bool) -> None:
        """Shown in the log's place at the bottom, the dock gets room for a few rows."""
        dock, height = self.win.dock_alerts, round(self.win.height() * ALERTS_SHARE)
        if visible and not dock.isFloating() and dock.height() < height:
            QTimer.singleShot(
                0, self, lambda: self.win.resizeDocks([dock], [height], Qt.Orientation.Vertical)
            )

    def new_alert_for(
        self, symbol: str | None, kind: Kind = Kind.ABOVE, value: Decimal | None = None
    ) -> AlertDialog | None:
        if not symbol:
            return None
        if value is None:
            q = self.win.market.hub.quotes.get(symbol)
            value = q.last if q is not None else None
        self.win.dock_alerts.show()
        self.win.dock_alerts.raise_()
        return self.alerts_panel.new_alert(symbol, kind, value)

    # ------------------------------------------------------------ charts
    def equip(self, panels: SymbolPanels) -> None:
        """Indicators, alert lines and the context menu for a chart (the main one, or a window's)."""
        win = self.win
        chart = panels.chart
        overlay = IndicatorOverlay(chart, win.market.reads.read, set(win.settings.indicators), win.palette_)
        lines = AlertLines(chart, self.alerts, win.market.hub, win.universe)
        menu = ChartMenu(chart, overlay, lines, self.new_alert_for, self.choose_indicators)
        panels.shown.connect(lambda _: overlay.symbol_shown())
        panels.shown.connect(lambda _: lines.refresh())
        self.equipment[panels] = (overlay, lines, menu)
        panels.destroyed.connect(lambda: self.equipment.pop(panels, None))

    def choose_indicators(self, names: set[str]) -> None:
        self.win.settings.indicators = sorted(names)
        self.win.settings.sync()
        for overlay, _, _ in self.equipment.values():
            overlay.set_active(names)

    def open_chart_window(self, symbol: str) -> ChartWindow:
        return self.charts.open(symbol)

    def _main_follows(self, symbol: str) -> None:
        win = self.win
        if win.model.row_of(symbol) >= 0:
            win.watchlist.select_symbol(symbol)
        else:
            win.watchlist.view.selectionModel().clear()
            win.select_symbol(symbol)

    # ------------------------------------------------------------ rows
    def _row_menu(self, pos: QPoint) -> None:
        index = self.win.watchlist.view.indexAt(pos)
        if not index.isValid():
            return
        self.menu_shown = self.row_menu_for(index.data(SYMBOL_ROLE))
        self.menu_shown.popup(self.win.watchlist.view.viewport().mapToGlobal(pos))

    def row_menu_for(self, symbol: str) -> QMenu:
        win = self.win
        win.watchlist.select_symbol(symbol)
        others = [(n, list_title(n)) for n in win.watchlists.names() if n != win.watchlists.current]
        return row_menu(self, symbol, others, symbol in win.model.marked(), win.watchlist.view)

    def copy_quote(self, symbol: str) -> str:
        hub = self.win.market.hub
        state = badge_text(hub.freshness(symbol).state)
        text = quote_text(symbol, self.win.universe.get(symbol), hub.quotes.get(symbol), state)
        QGuiApplication.clipboard().setText(text)
        return text

    def move_symbol(self, symbol: str, list_name: str) -> None:
        if self.win.watchlists.move_to(symbol, list_name):
            self.tell(self.tr("Moved to {name}").format(name=list_title(list_name)))

    def remove_symbol(self, symbol: str) -> None:
        self.win.remove_symbol(symbol)

    def clear_alert_mark(self, symbol: str) -> None:
        self.win.model.clear_mark(symbol)

    # ------------------------------------------------------------ columns
    def _columns_shown(self, shown: set[int]) -> None:
        self._shown_columns = shown
        self.win.model.set_shown_optional(shown)
        if shown & _YEAR_COLUMNS:
            self._year_stale = True
        self.facts.columns_shown(shown)

    def _load_year_ranges(self) -> None:
        if self._year_task is not None and not self._year_task.done():
            return
        hub = self.win.market.hub
        day = hub.day if hub.day >= 0 else (int(hk_now().timestamp() * 1000) + HK_OFFSET_MS) // _DAY_MS
        symbols = self.win.model.symbols()

        async def load() -> None:
            ranges = await self.win.market.reads.read(year_ranges, symbols, day * _DAY_MS - HK_OFFSET_MS)
            if ranges is not None:
                self._year_stale = False
                self.win.model.set_year_ranges(ranges)

        self._year_task = spawn(load(), "reading the 52-week ranges")

    # ------------------------------------------------------------ exports
    def data_day(self) -> date:
        """The trading day on screen: the newest trade's (the simulator's day may not be today's)."""
        day = self.win.market.hub.day
        return date(1970, 1, 1) + timedelta(days=day) if day >= 0 else hk_now().date()

    def export_dialog(self, what: str) -> ExportDialog:
        win = self.win
        names = win.watchlists.names()
        dlg = ExportDialog(
            win.universe,
            [(n, list_title(n)) for n in names],
            what=what,
            symbol=win.selected or "",
            list_name=win.watchlists.current,
            list_symbols={n: win.watchlists.symbols(n) for n in names},
            day=self.data_day(),
            parent=win,
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.chosen.connect(self._export_chosen)
        dlg.open()
        return dlg

    def _export_chosen(self, request: ExportRequest) -> None:
        filters = (
            self.tr("CSV files (*.csv)") if request.suffix == ".csv" else self.tr("Excel files (*.xlsx)")
        )
        path, _ = QFileDialog.getSaveFileName(self.win, self.tr("Export to"), request.file_name(), filters)
        if path:
            target = Path(path)
            if target.suffix.lower() != request.suffix:
                target = target.with_name(target.name + request.suffix)
            spawn(self.export(request, target), "exporting", self.tell)

    async def export(self, request: ExportRequest, path: Path) -> int | None:
        try:
            n = await self.win.market.reads.read(write_export, request, path, self.win.universe)
        except ExportError as exc:
            self.tell(str(exc))
            return None
        if n is None:
            self.tell(self.tr("Nothing exported: no database is in use"))
        else:
            self.tell(self.tr("{n} rows written to {path}").format(n=n, path=path))
        return n
