"""The market cap, P/E and dividend yield columns in the window on its own simulator: nothing is
asked until one is shown; then one ``/static_info`` call brings the list's facts, the cells are
the last price times the simulator's own share counts, and the facts are kept in the database."""

from __future__ import annotations

from support.desks import make_desk
from support.waits import wait_until

from hkdesk.domain import formatting as fmt
from hkdesk.sim.static_info import static_facts
from hkdesk.store import make_engine
from hkdesk.store.history import facts_of
from hkdesk.ui.watchlist_rows import Col

TOOLTIP = 3


async def test_shown_columns_are_the_last_price_times_the_simulator_s_facts(qtbot, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'facts.db'}"
    desk = make_desk(tmp_path / "cfg", db)
    win = await desk.open()
    try:
        model, hub = win.model, win.market.hub
        await wait_until(lambda: win.market.http is not None, timeout=30, what="the source's HTTP client")
        symbols = model.symbols()
        await wait_until(
            lambda: all(hub.quotes.get(s) and hub.quotes[s].last for s in symbols[:3]),
            timeout=30,
            what="trades",
        )
        assert win.market.http.transport.calls["/static_info"] == 0, "not asked while no column is shown"

        win.tools.columns.set_shown(Col.MARKET_CAP, True)
        win.tools.columns.set_shown(Col.PE, True)
        own = {s: static_facts(win.universe[s]) for s in symbols if not win.universe[s].is_index}

        def cell(sym: str, col: Col, role: int = 0):
            return model.index(model.row_of(sym), col).data(role)

        def cap_is_last_times_shares(sym: str) -> bool:
            q = hub.quotes.get(sym)
            return (
                q is not None
                and q.last is not None
                and cell(sym, Col.MARKET_CAP) == fmt.amount_text(q.last * own[sym].total_shares)
            )

        await wait_until(lambda: cap_is_last_times_shares("700.HK"), timeout=30, what="Tencent's market cap")
        await wait_until(lambda: all(cap_is_last_times_shares(s) for s in symbols[:3]), timeout=10)
        await wait_until(
            lambda: cell("700.HK", Col.PE) == f"{hub.quotes['700.HK'].last / own['700.HK'].eps_ttm:.2f}",
            timeout=10,
            what="Tencent's P/E",
        )
        assert cell("700.HK", Col.MARKET_CAP, TOOLTIP).startswith(
            "From the provider's reference data, fetched"
        )
        assert win.market.http.transport.answered("/static_info") == 1, "the whole list in one call"

        engine = make_engine(db)
        try:
            await wait_until(
                lambda: len(facts_of(engine, list(own))) == len(own), timeout=10, what="the facts stored"
            )
            stored = facts_of(engine, list(own))
        finally:
            engine.dispose()

        def figures(facts) -> dict:
            return {s: (f.total_shares, f.eps_ttm, f.dividend_yield) for s, f in facts.items()}

        assert figures(stored) == figures(own), "the simulator's own figures, digit for digit"
    finally:
        await desk.close()
