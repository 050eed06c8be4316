"""AllTick's HTTP quote endpoints, answered from the market model.

``GET /quote-stock-b-api/<endpoint>?token=…&query=<URL-encoded {"trace", "data"}>`` for
``kline``, ``trade-tick``, ``depth-tick`` and ``static_info``; ``POST …/batch-kline?token=…``
with the same JSON as the body. Every answer, errors included, is the envelope ``{ret, msg,
trace, data}`` with HTTP status 200, like the real service: 401 token invalid, 402 a missing
or unreadable ``query``, 601 an empty POST body, 400 bad content, 600 no known code, 603 more
``/batch-kline`` items than the plan allows, 605 beyond the plan's calls per endpoint. Numbers
are strings; a list endpoint answers the codes it knows and drops the rest (and codes beyond
the plan's items per call).
"""

from __future__ import annotations

from typing import Any

import msgspec

from hkdesk.sim import wire
from hkdesk.sim.bars import Bar
from hkdesk.sim.http_limits import BATCH_KLINE, HttpLimits
from hkdesk.sim.klines import KLINE_TYPES
from hkdesk.sim.model import MarketModel
from hkdesk.sim.records import format_milli
from hkdesk.sim.static_info import static_facts

MAX_KLINE_NUM = 500
MAX_BATCH_KLINE_NUM = 2
ENDPOINTS = ("kline", BATCH_KLINE, "trade-tick", "depth-tick", "static_info")

Status = tuple[int, str]


class Refused(Exception):
    """An answer other than 200: its status, trace and optional message."""

    def __init__(self, status: Status, trace: str = "", msg: str | None = None) -> None:
        super().__init__(msg or status[1])
        self.status = status
        self.trace = trace
        self.msg = msg


def envelope(
    status: Status, trace: str = "", data: dict[str, Any] | None = None, msg: str | None = None
) -> bytes:
    ret, default = status
    return wire.encode_json({"ret": ret, "msg": msg or default, "trace": trace, "data": data or {}})


def _request(raw: str | bytes | None, missing: Status, unreadable: Status) -> tuple[str, dict[str, Any]]:
    """``(trace, data)`` of a ``{"trace", "data": {...}}`` request."""
    if not raw:
        raise Refused(missing)
    try:
        obj = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise Refused(unreadable) from None
    if not isinstance(obj, dict):
        raise Refused(unreadable)
    trace = obj.get("trace") if isinstance(obj.get("trace"), str) else ""
    if not isinstance(obj.get("data"), dict):
        raise Refused(unreadable, trace)
    return trace, obj["data"]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bar(bar: Bar) -> dict[str, str]:
    return {
        "timestamp": str(bar.timestamp),
        "open_price": format_milli(bar.open),
        "close_price": format_milli(bar.close),
        "high_price": format_milli(bar.high),
        "low_price": format_milli(bar.low),
        "volume": str(bar.volume),
        "turnover": format_milli(bar.turnover),
    }


class HttpApi:
    """The endpoints of one simulator (its model and its plan's limits)."""

    def __init__(self, model: MarketModel, limits: HttpLimits) -> None:
        self.model = model
        self.limits = limits

    def answer(self, endpoint: str, token: str, query: str | None, body: bytes) -> bytes:
        """The envelope for one call to ``endpoint``, one of :data:`ENDPOINTS` (the caller checked
        the token)."""
        if not self.limits.allow(token, endpoint):
            return envelope(wire.TOO_MANY)
        try:
            if endpoint == BATCH_KLINE:
                trace, data = _request(body, wire.BODY_EMPTY, wire.HEADER_INVALID)
                return envelope(wire.OK, trace, self._batch_kline(trace, data))
            trace, data = _request(query, wire.QUERY_INVALID, wire.QUERY_INVALID)
            if endpoint == "kline":
                result = self._kline(trace, data)
            elif endpoint == "static_info":
                result = {"static_info_list": [self._static(c) for c in self._codes(trace, data)]}
            elif endpoint == "trade-tick":
                result = {"tick_list": [self._trade(c) for c in self._codes(trace, data)]}
            else:
                result = {"tick_list": [self._depth(c) for c in self._codes(trace, data, books=True)]}
            return envelope(wire.OK, trace, result)
        except Refused as refused:
            return envelope(refused.status, refused.trace, msg=refused.msg)

    # ------------------------------------------------------------------ K-lines

    def _kline_request(self, trace: str, item: dict[str, Any], most: int) -> tuple[str, int, int]:
        code, kline_type = item.get("code"), _int(item.get("kline_type"))
        num = _int(item.get("query_kline_num", 1))
        if not isinstance(code, str) or kline_type is None or num is None or num < 1:
            raise Refused(wire.DATA_INVALID, trace)
        if kline_type not in KLINE_TYPES:  # 6 and 7 (2 h, 4 h) are not offered for stocks
            raise Refused(wire.DATA_INVALID, trace)
        return code, kline_type, min(num, most)

    def _kline(self, trace: str, data: dict[str, Any]) -> dict[str, Any]:
        code, kline_type, num = self._kline_request(trace, data, MAX_KLINE_NUM)
        if not self.model.has(code):
            raise Refused(wire.CODE_INVALID, trace)
        bars = self.model.kline(code, kline_type, num)
        return {"code": code, "kline_type": kline_type, "kline_list": [_bar(b) for b in bars]}

    def _batch_kline(self, trace: str, data: dict[str, Any]) -> dict[str, Any]:
        items = data.get("data_list")
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            raise Refused(wire.DATA_INVALID, trace)
        if len(items) > self.limits.items_per_call:
            raise Refused(wire.TOKEN_LEVEL, trace)
        wanted = [self._kline_request(trace, item, MAX_BATCH_KLINE_NUM) for item in items]
        known = [w for w in wanted if self.model.has(w[0])]
        if not known:
            raise Refused(wire.CODE_INVALID, trace)
        return {
            "kline_list": [
                {
                    "code": code,
                    "kline_type": kline_type,
                    "kline_data": [_bar(b) for b in self.model.kline(code, kline_type, num)],
                }
                for code, kline_type, num in known
            ]
        }

    # ------------------------------------------------------------------ lists of codes

    def _codes(self, trace: str, data: dict[str, Any], books: bool = False) -> list[str]:
        items = data.get("symbol_list")
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("code"), str) for i in items
        ):
            raise Refused(wire.DATA_INVALID, trace)
        codes = list(dict.fromkeys(i["code"] for i in items))[: self.limits.items_per_call]
        known = [c for c in codes if self.model.has(c) and not (books and self.model.is_index(c))]
        if not known:
            raise Refused(wire.CODE_INVALID, trace)
        return known

    def _trade(self, code: str) -> dict[str, Any]:
        t = self.model.last_trade(code)
        return {
            "code": t.symbol,
            "seq": str(t.seq),
            "tick_time": str(t.ts),
            "price": format_milli(t.price),
            "volume": str(t.volume),
            "turnover": format_milli(t.price * t.volume),
            "trade_direction": t.direction,
        }

    def _depth(self, code: str) -> dict[str, Any]:
        book = self.model.current_book(code, 10)
        assert book is not None  # indices were left out

        def levels(side: list[tuple[int, int]]) -> list[dict[str, str]]:
            return [{"price": format_milli(p), "volume": str(v)} for p, v in side]

        return {
            "code": code,
            "seq": str(book.seq),
            "tick_time": str(book.ts),
            "bids": levels(book.bids),
            "asks": levels(book.asks),
        }

    def _static(self, code: str) -> dict[str, str]:
        info = self.model.infos[code]
        facts = static_facts(info)
        return {
            "board": "HKIndex" if info.is_index else "HKEquity",
            "bps": str(facts.bps),
            "circulating_shares": str(facts.total_shares),
            "currency": "HKD",
            "dividend_yield": str(facts.dividend_yield),
            "eps": str(facts.eps),
            "eps_ttm": str(facts.eps_ttm),
            "exchange": "SEHK",
            "hk_shares": str(facts.total_shares),
            "lot_size": str(info.lot_size),
            "name_cn": info.name_zh_hans or info.name_zh,
            "name_en": info.name_en,
            "name_hk": info.name_zh,
            "symbol": code,
            "total_shares": str(facts.total_shares),
        }


def token_refused(trace: str = "") -> bytes:
    return envelope(wire.TOKEN_INVALID, trace)
