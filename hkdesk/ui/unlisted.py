"""A code typed that is not in the shipped list: asked of the provider, answered beside the search box."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication

from hkdesk.domain.symbols import display_code

if TYPE_CHECKING:
    from hkdesk.app.market import MarketService
    from hkdesk.domain.symbols import SymbolInfo
    from hkdesk.ui.watchlist_panel import WatchlistPanel


class Host(Protocol):
    """What the lookup needs of the window."""

    market: MarketService
    universe: dict[str, SymbolInfo]
    watchlist: WatchlistPanel

    def add_known(self, sym: str) -> None: ...


async def add_unlisted(win: Host, sym: str) -> None:
    """Its names from the provider, then added to the list; or a clear no, and nothing added."""
    translate = QCoreApplication.translate
    code = display_code(sym)
    win.watchlist.answer(translate("MainWindow", "Looking up {code}…").format(code=code))
    found = await win.market.look_up(sym)
    if found.unknown:
        text = translate("MainWindow", "{code} is not known to the feed").format(code=code)
        win.watchlist.answer(text, problem=True)
        return
    if found.info is not None:
        win.universe[sym] = found.info
        text = translate("MainWindow", "Added {code} {name}").format(code=code, name=found.info.name_en)
    else:
        text = translate("MainWindow", "Added {code}; its name is unknown here").format(code=code)
    win.add_known(sym)
    win.watchlist.answer(text)
