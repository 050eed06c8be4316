"""The chart's context menu: an alert at the pointer's price, the interval, the indicators.

pyqtgraph's own menu stays off (it offers plot internals, in English); right-clicking the chart
opens this one. The price is the price axis' value under the pointer, on the exchange's grid.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from hkdesk.alerts.model import Kind
from hkdesk.ui.chart import INTERVAL_LABELS, ChartPanel
from hkdesk.ui.chart_alert_lines import AlertLines
from hkdesk.ui.chart_indicators import INDICATORS, IndicatorOverlay, indicator_label

translate = QCoreApplication.translate


class ChartMenu(QObject):
    def __init__(
        self,
        chart: ChartPanel,
        overlay: IndicatorOverlay,
        lines: AlertLines,
        new_alert: Callable[[str, Kind, Decimal | None], object],
        indicators_chosen: Callable[[set[str]], None],
    ) -> None:
        """``new_alert(symbol, kind, price)`` opens the alert dialog; ``indicators_chosen(names)``
        makes the choice every chart's (a setting)."""
        super().__init__(chart)
        self.chart = chart
        self.overlay = overlay
        self.lines = lines
        self._new_alert = new_alert
        self._indicators_chosen = indicators_chosen
        chart.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        chart.canvas.customContextMenuRequested.connect(self._popup)
        self.menu_shown: QMenu | None = None

    def price_at(self, pos: QPoint) -> float | None:
        """The price under ``pos`` (canvas coordinates), if it is over the price plot."""
        scene = self.chart.canvas.mapToScene(pos)
        plot = self.chart.price_plot
        if not plot.sceneBoundingRect().contains(scene):
            return None
        return float(plot.getViewBox().mapSceneToView(QPointF(scene)).y())

    def menu(self, price: float | None) -> QMenu:
        chart = self.chart
        menu = QMenu(chart)
        menu.setObjectName("chartMenu")
        sym = chart.symbol
        value = self.lines.grid_price(price) if price is not None else None
        if sym is not None:
            kind = self._kind_at(value)
            text = (
                translate("ChartMenu", "Add alert at {price}…").format(price=value)
                if value is not None
                else translate("ChartMenu", "Add alert…")
            )
            add = QAction(text, menu, objectName="chart_alert")
            add.triggered.connect(lambda: self._new_alert(sym, kind, value))
            menu.addAction(add)
            if price is not None and value is not None:
                line = QAction(
                    translate("ChartMenu", "Alert line at {price}").format(price=value),
                    menu,
                    objectName="chart_alert_line",
                )
                line.triggered.connect(lambda: self.lines.add_at(price))
                menu.addAction(line)
            menu.addSeparator()
        intervals = menu.addMenu(translate("ChartMenu", "Interval"))
        intervals.setObjectName("chart_intervals")
        group = QActionGroup(menu)
        for mode, label in INTERVAL_LABELS.items():
            a = QAction(translate("ChartPanel", label), intervals, checkable=True, checked=mode == chart.mode)
            a.setData(mode)
            a.triggered.connect(lambda _=False, m=mode: chart.set_mode(m))
            group.addAction(a)
            intervals.addAction(a)
        indicators = menu.addMenu(translate("ChartMenu", "Indicators"))
        indicators.setObjectName("chart_indicators")
        active = self.overlay.active
        for name in INDICATORS:
            a = QAction(indicator_label(name), indicators, checkable=True, checked=name in active)
            a.setData(name)
            a.toggled.connect(lambda on, n=name: self._toggle(n, on))
            indicators.addAction(a)
        return menu

    def _kind_at(self, value: Decimal | None) -> Kind:
        q = self.lines.hub.quotes.get(self.chart.symbol or "")
        last = q.last if q is not None else None
        return Kind.BELOW if value is not None and last is not None and value < last else Kind.ABOVE

    def _toggle(self, name: str, on: bool) -> None:
        chosen = set(self.overlay.active)
        if on:
            chosen.add(name)
        else:
            chosen.discard(name)
        self._indicators_chosen(chosen)

    def _popup(self, pos: QPoint) -> None:
        self.menu_shown = self.menu(self.price_at(pos))
        self.menu_shown.popup(self.chart.canvas.mapToGlobal(pos))
