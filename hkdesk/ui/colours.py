"""Up/down colours by convention and theme, built once and shared (``data()`` returns these objects)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtGui import QBrush, QColor

from hkdesk.domain.freshness import Freshness

FLASH_STEPS = 16


class Convention(StrEnum):
    """Hong Kong quotes green for up; mainland China quotes red for up."""

    HK = "hk"
    MAINLAND = "mainland"


class Theme(StrEnum):
    DARK = "dark"
    LIGHT = "light"


_GREEN = {Theme.DARK: "#19c37d", Theme.LIGHT: "#0a8a4a"}
_RED = {Theme.DARK: "#f0454f", Theme.LIGHT: "#c8242f"}
_FLAT = {Theme.DARK: "#c9d1d9", Theme.LIGHT: "#24292f"}
_MUTED = {Theme.DARK: "#8b949e", Theme.LIGHT: "#57606a"}
#: A fired alert's mark: amber, clear of the up/down colours.
_ALERT = {Theme.DARK: "#7a5a00", Theme.LIGHT: "#ffd966"}
# Badge colours stay clear of up/down red and green: amber says "stopped", blue "fetched once".
_BADGE = {
    Theme.DARK: {Freshness.SNAPSHOT: "#58a6ff", Freshness.STORED: "#8b949e", Freshness.STALE: "#d29922"},
    Theme.LIGHT: {Freshness.SNAPSHOT: "#0969da", Freshness.STORED: "#57606a", Freshness.STALE: "#9a6700"},
}


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The chart's own colours (pyqtgraph draws outside the stylesheet). The grid is opaque,
    pre-blended over the background: replaying translucent grid lines was 64 % of a panning frame."""

    background: str
    text: str
    grid: str
    price: str
    vwap: str
    previous_close: str
    crosshair: str


_CHART = {
    Theme.DARK: ChartColours("#0d1117", "#8b949e", "#1c2127", "#58a6ff", "#d29922", "#8b949e", "#6e7681"),
    Theme.LIGHT: ChartColours("#ffffff", "#57606a", "#ebeced", "#0969da", "#9a6700", "#6e7781", "#8c959f"),
}


@dataclass(frozen=True, slots=True)
class Palette:
    up: QColor
    down: QColor
    flat: QColor
    muted: QColor
    up_brush: QBrush
    down_brush: QBrush
    flat_brush: QBrush
    muted_brush: QBrush
    #: Background brushes from fresh (index 0) to nearly faded, for the tick flash.
    flash_up: tuple[QBrush, ...]
    flash_down: tuple[QBrush, ...]
    theme: Theme
    convention: Convention
    #: Text colour of the freshness badge for each state that is not live.
    badge: dict[Freshness, QBrush]
    chart: ChartColours
    #: Background of a row's code cell after one of its alerts fired.
    alert: QBrush

    def for_sign(self, sign: int) -> QBrush:
        if sign > 0:
            return self.up_brush
        if sign < 0:
            return self.down_brush
        return self.flat_brush


def _ramp(base: QColor, strongest: int) -> tuple[QBrush, ...]:
    out = []
    for i in range(FLASH_STEPS):
        c = QColor(base)
        c.setAlpha(int(strongest * (1 - i / FLASH_STEPS)))
        out.append(QBrush(c))
    return tuple(out)


def make_palette(convention: Convention | str = Convention.HK, theme: Theme | str = Theme.DARK) -> Palette:
    convention = Convention(convention)
    theme = Theme(theme)
    green, red = QColor(_GREEN[theme]), QColor(_RED[theme])
    up, down = (green, red) if convention is Convention.HK else (red, green)
    flat, muted = QColor(_FLAT[theme]), QColor(_MUTED[theme])
    strongest = 100 if theme is Theme.DARK else 80
    return Palette(
        up=up,
        down=down,
        flat=flat,
        muted=muted,
        up_brush=QBrush(up),
        down_brush=QBrush(down),
        flat_brush=QBrush(flat),
        muted_brush=QBrush(muted),
        flash_up=_ramp(up, strongest),
        flash_down=_ramp(down, strongest),
        theme=theme,
        convention=convention,
        badge={state: QBrush(QColor(c)) for state, c in _BADGE[theme].items()},
        chart=_CHART[theme],
        alert=QBrush(QColor(_ALERT[theme])),
    )
