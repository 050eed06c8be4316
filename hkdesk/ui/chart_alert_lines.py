"""Price alerts as horizontal lines on the chart, dragged to move them.

Each ``above``/``below`` alert of the charted symbol is a dashed line at its price (dimmed while
paused or spent). Dragging a line and letting go moves the alert to the price where it was let
go, on the exchange's price grid (the HKEX spread table). "Alert line here" in the chart's menu
makes a new alert where the pointer is: above the last price it fires on a rise to it, below on
a fall to it; the line then appears and can be dragged like the others.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt

from hkdesk.alerts.model import Alert, Kind
from hkdesk.domain import formatting as fmt
from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.spread import tick_size
from hkdesk.domain.symbols import SymbolInfo
from hkdesk.domain.types import MAX_PRICE
from hkdesk.ui.background import spawn
from hkdesk.ui.chart import ChartPanel

if TYPE_CHECKING:
    from hkdesk.app.alert_service import AlertService

LINE_COLOUR = "#d29922"
_INDEX_STEP = Decimal("0.01")


def on_grid(price: float, *, is_index: bool = False) -> Decimal | None:
    """``price`` rounded to the nearest price the exchange allows there (0.01 for an index)."""
    if not 0 < price < float(MAX_PRICE):
        return None
    value = Decimal(repr(price))
    step = _INDEX_STEP if is_index else tick_size(value)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


class AlertLines(QObject):
    def __init__(
        self, chart: ChartPanel, service: AlertService, hub: QuoteHub, universe: dict[str, SymbolInfo]
    ) -> None:
        super().__init__(chart)
        self.chart = chart
        self.service = service
        self.hub = hub
        self._universe = universe
        self.lines: dict[int, pg.InfiniteLine] = {}
        service.changed.connect(self.refresh)

    def _alerts(self) -> list[Alert]:
        sym = self.chart.symbol
        return [a for a in self.service.alerts() if a.symbol == sym and a.kind in (Kind.ABOVE, Kind.BELOW)]

    def refresh(self) -> None:
        """One line per price alert of the charted symbol, where its alert is now."""
        alerts = {a.id: a for a in self._alerts()}
        for alert_id in [i for i in self.lines if i not in alerts]:
            self.chart.price_plot.removeItem(self.lines.pop(alert_id))
        for alert_id, alert in alerts.items():
            line = self.lines.get(alert_id)
            if line is None:
                line = pg.InfiniteLine(angle=0, movable=True)
                line.setZValue(5)
                line.label = pg.InfLineLabel(line, text="", position=0.04, anchors=[(0, 1), (0, 1)])
                line.sigPositionChangeFinished.connect(lambda ln, i=alert_id: self._dropped(i, ln))
                self.chart.price_plot.addItem(line, ignoreBounds=True)
                self.lines[alert_id] = line
            quiet = alert.paused or alert.spent
            pen = pg.mkPen(LINE_COLOUR, width=1, style=Qt.PenStyle.DotLine if quiet else Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.setHoverPen(pg.mkPen(LINE_COLOUR, width=2))
            line.setValue(float(alert.value))
            line.label.setText(f"{'▲' if alert.kind is Kind.ABOVE else '▼'} {fmt.price_text(alert.value)}")
            line.label.setColor(LINE_COLOUR)

    def grid_price(self, price: float) -> Decimal | None:
        """``price`` on the charted symbol's price grid."""
        info = self._universe.get(self.chart.symbol or "")
        return on_grid(price, is_index=bool(info and info.is_index))

    def _dropped(self, alert_id: int, line: pg.InfiniteLine) -> None:
        alert = self.service.alert(alert_id)
        price = self.grid_price(float(line.value()))
        if alert is None or price is None or price == alert.value:
            self.refresh()
            return
        spawn(self.service.update(replace(alert, value=price)), "moving an alert line")

    def add_at(self, price: float) -> Alert | None:
        """A new alert at ``price``: above the last trade a rise to it, below it a fall."""
        sym = self.chart.symbol
        value = self.grid_price(price)
        if sym is None or value is None:
            return None
        q = self.hub.quotes.get(sym)
        last = q.last if q is not None else None
        kind = Kind.BELOW if last is not None and value < last else Kind.ABOVE
        alert = Alert(sym, kind, value)
        spawn(self.service.add([alert]), "adding an alert line")
        return alert
