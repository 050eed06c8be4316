"""AllTick's HTTP quote endpoints, answered from the market model.

* ``GET /quote-stock-b-api/kline?token=…&query=<url-encoded JSON>`` with
  ``{"trace", "data": {"code", "kline_type", "kline_timestamp_end", "query_kline_num",
  "adjust_type"}}``: daily bars (``kline_type`` 8) oldest first, ending with the previous close.
* ``GET /quote-stock-b-api/trade-tick?token=…&query=<{"trace", "data": {"symbol_list": [...]}}>``:
  the latest trade per code, every field a string.

API errors are JSON bodies with ``ret`` != 200 and HTTP status 200, like the real service;
only the WebSocket handshake uses HTTP 401.
"""

from __future__ import annotations

from typing import Any

import msgspec

from hkdesk.sim.model import MarketModel
from hkdesk.sim.records import format_milli
from hkdesk.sim.wire import CODE_INVALID, DATA_INVALID, OK, QUERY_INVALID, TOKEN_INVALID, encode_json

KLINE_DAILY = 8
MAX_KLINE_NUM = 1000


def _answer(
    status: tuple[int, str], trace: str, data: dict[str, Any] | None = None, msg: str | None = None
) -> bytes:
    ret, default = status
    return encode_json({"ret": ret, "msg": msg or default, "trace": trace, "data": data or {}})


def _parse_query(raw: str | None) -> tuple[str, dict[str, Any]] | None:
    if not raw:
        return None
    try:
        obj = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("data"), dict):
        return None
    trace = obj.get("trace")
    return (trace if isinstance(trace, str) else ""), obj["data"]


def token_refused(trace: str = "") -> bytes:
    return _answer(TOKEN_INVALID, trace)


def kline(model: MarketModel, query: str | None) -> bytes:
    parsed = _parse_query(query)
    if parsed is None:
        return _answer(QUERY_INVALID, "")
    trace, data = parsed
    code, kline_type, num = data.get("code"), data.get("kline_type"), data.get("query_kline_num", 1)
    if not isinstance(code, str) or not isinstance(kline_type, int) or not isinstance(num, int) or num < 1:
        return _answer(DATA_INVALID, trace)
    if not model.has(code):
        return _answer(CODE_INVALID, trace, msg=f"code invalid: {code}")
    if kline_type != KLINE_DAILY:
        return _answer(DATA_INVALID, trace, msg=f"kline_type {kline_type} is not simulated (daily is 8)")
    bars = model.daily_bars(code, min(num, MAX_KLINE_NUM))
    kline_list = [
        {
            "timestamp": str(bar.timestamp),
            "open_price": format_milli(bar.open),
            "close_price": format_milli(bar.close),
            "high_price": format_milli(bar.high),
            "low_price": format_milli(bar.low),
            "volume": str(bar.volume),
            "turnover": format_milli(bar.turnover),
        }
        for bar in bars
    ]
    return _answer(OK, trace, {"code": code, "kline_type": kline_type, "kline_list": kline_list})


def trade_tick(model: MarketModel, query: str | None, symbol_limit: int) -> bytes:
    parsed = _parse_query(query)
    if parsed is None:
        return _answer(QUERY_INVALID, "")
    trace, data = parsed
    items = data.get("symbol_list")
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("code"), str) for i in items
    ):
        return _answer(DATA_INVALID, trace)
    codes = list(dict.fromkeys(i["code"] for i in items))[:symbol_limit]
    valid = [c for c in codes if model.has(c)]
    if codes and not valid:
        return _answer(CODE_INVALID, trace, msg=f"code invalid: {', '.join(codes)}")
    ticks = []
    for code in valid:
        t = model.last_trade(code)
        ticks.append(
            {
                "code": t.symbol,
                "seq": str(t.seq),
                "tick_time": str(t.ts),
                "price": format_milli(t.price),
                "volume": str(t.volume),
                "turnover": format_milli(t.price * t.volume),
                "trade_direction": str(t.direction),
            }
        )
    return _answer(OK, trace, {"tick_list": ticks})
