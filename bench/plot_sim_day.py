"""Draw one simulated trading day (price and volume per minute) into a PNG, without a network.

    python bench/plot_sim_day.py [--out sim_day.png] [--seed N] [--day YYYY-MM-DD] [SYMBOL ...]

Look at the picture to judge the model: U-shaped volume, a lunch gap, an intraday range of
about 1-3 %, indices moving with their heavyweights.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, time, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

from hkdesk.domain.sessions import HK_TZ
from hkdesk.domain.symbols import default_universe
from hkdesk.sim.clock import latest_trading_day
from hkdesk.sim.model import MarketModel

DEFAULT_SYMBOLS = ["700.HK", "5.HK", "9988.HK", "HSI", "HSTECH"]


def simulate(symbols: list[str], seed: int, day: date) -> tuple[MarketModel, dict[str, dict[int, list]]]:
    """Per symbol and minute from 09:00: [open, high, low, close, volume] in dollars and shares."""
    universe = default_universe()
    model = MarketModel({s: universe[s] for s in symbols}, seed=seed, seq_base=0)
    start = datetime.combine(day, time(9, 0), HK_TZ)
    model.start(start)
    bars: dict[str, dict[int, list]] = {s: {} for s in symbols}
    now = start
    while now < datetime.combine(day, time(16, 15), HK_TZ):
        now += timedelta(seconds=2)
        for t in model.advance(now):
            minute = int((t.ts / 1000 - start.timestamp()) // 60)
            price = t.price / 1000
            bar = bars[t.symbol].get(minute)
            if bar is None:
                bars[t.symbol][minute] = [price, price, price, price, t.volume]
            else:
                bar[1], bar[2], bar[3] = max(bar[1], price), min(bar[2], price), price
                bar[4] += t.volume
    return model, bars


def draw(model: MarketModel, bars: dict[str, dict[int, list]], out: str, day: date) -> None:
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    layout = pg.GraphicsLayoutWidget()
    layout.resize(1400, 260 * len(bars))
    ticks = [[(m, f"{9 + (m + 0) // 60:02d}:{m % 60:02d}") for m in range(0, 431, 30)]]
    for row, (symbol, per_minute) in enumerate(bars.items()):
        minutes = np.arange(min(per_minute), max(per_minute) + 1)
        closes = np.array([per_minute[m][3] if m in per_minute else np.nan for m in minutes])
        volumes = np.array([per_minute[m][4] if m in per_minute else 0 for m in minutes], dtype=float)
        prev = model.prev_close(symbol) / 1000
        high = max(b[1] for b in per_minute.values())
        low = min(b[2] for b in per_minute.values())
        title = (
            f"{symbol}  prev {prev:,.3f}  close {closes[-1]:,.3f} ({(closes[-1] / prev - 1) * 100:+.2f}%)"
            f"  range {(high - low) / prev * 100:.2f}%  {day}"
        )
        price_plot = layout.addPlot(row=row, col=0, title=title)
        price_plot.getAxis("bottom").setTicks(ticks)
        price_plot.getAxis("left").setWidth(70)
        price_plot.plot(minutes, closes, pen=pg.mkPen("#1f5fbf", width=1), connect="finite")
        price_plot.addLine(y=prev, pen=pg.mkPen("#999999", style=pg.QtCore.Qt.PenStyle.DashLine))
        if volumes.sum() > 0:
            vol_plot = layout.addPlot(row=row, col=1, title=f"{symbol} volume per minute (shares)")
            vol_plot.getAxis("bottom").setTicks(ticks)
            vol_plot.addItem(pg.BarGraphItem(x=minutes, height=volumes, width=0.8, brush="#6a9f58"))
            price_plot.setXLink(vol_plot)
        else:
            vol_plot = layout.addPlot(row=row, col=1, title=f"{symbol}: an index, no volume")
            vol_plot.getAxis("bottom").setTicks(ticks)
    layout.show()
    app.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(layout.scene())
    exporter.parameters()["width"] = 1400
    exporter.export(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("symbols", nargs="*", default=DEFAULT_SYMBOLS)
    parser.add_argument("--out", default="sim_day.png")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--day", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    day = args.day or latest_trading_day(date.today())
    model, bars = simulate(args.symbols, args.seed, day)
    per_symbol = {symbol: len(minutes) for symbol, minutes in bars.items()}
    draw(model, bars, args.out, day)
    print(f"wrote {args.out} for {day}: minutes with trades {dict(per_symbol)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
