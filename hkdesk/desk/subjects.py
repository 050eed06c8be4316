"""Names on the NATS side of a desk: subjects, the stream, the key-value buckets and keys.

A symbol such as ``700.HK`` contains NATS's token separator (``.``), so it travels as one
token, escaped reversibly: every character outside ``[A-Za-z0-9_-]`` becomes ``=XX`` per UTF-8
byte (``700.HK`` -> ``700=2EHK``). The result is valid both as a subject token and as a
key-value key, so one encoding serves the stream subjects, the latest-quote keys and the
demand keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLAIN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_TOKEN = re.compile(r"^(?:[A-Za-z0-9_-]|=[0-9A-F]{2})+$")

TRADE = "trade"
BOOK = "book"
GAP_SUFFIX = ".gap"
#: A previous close in the latest-quote bucket: the symbol's key, plus this.
CLOSE_SUFFIX = ".close"


class SubjectError(ValueError):
    """A desk name, desktop id or subject token that cannot be used."""


def encode_token(text: str) -> str:
    """``text`` as one NATS subject token and key-value key (reversible, see the module docstring)."""
    if not text:
        raise SubjectError("an empty name cannot be a subject token")
    out: list[str] = []
    for byte in text.encode("utf-8"):
        out.append(chr(byte) if byte in _PLAIN else f"={byte:02X}")
    return "".join(out)


def decode_token(token: str) -> str:
    """The text :func:`encode_token` made ``token`` from."""
    if not _TOKEN.match(token):
        raise SubjectError(f"not an encoded token: {token!r}")
    raw = bytearray()
    i = 0
    while i < len(token):
        if token[i] == "=":
            raw.append(int(token[i + 1 : i + 3], 16))
            i += 3
        else:
            raw.append(ord(token[i]))
            i += 1
    return raw.decode("utf-8")


def check_name(name: str, what: str = "desk name") -> str:
    """A desk name or desktop id: 1-32 letters, digits, ``_`` or ``-`` (it is part of subjects)."""
    if not _NAME.match(name):
        raise SubjectError(f"{what} must be 1-32 letters, digits, '_' or '-', not {name!r}")
    return name


@dataclass(frozen=True)
class DeskNames:
    """Every NATS name one desk uses; two desks with different names never share one."""

    desk: str

    def __post_init__(self) -> None:
        check_name(self.desk)

    @property
    def prefix(self) -> str:
        return f"hkdesk.{self.desk}"

    @property
    def stream(self) -> str:
        """The JetStream stream holding the day's trades and books."""
        return f"HKDESK_{self.desk}"

    @property
    def trades_wildcard(self) -> str:
        """Trades and gap notices, in one order (a gap's subject is its symbol's, plus ``.gap``)."""
        return f"{self.prefix}.{TRADE}.>"

    @property
    def books_wildcard(self) -> str:
        return f"{self.prefix}.{BOOK}.*"

    @property
    def live_subject(self) -> str:
        """Trades sent at once, outside the stream (:mod:`hkdesk.desk.chain`)."""
        return f"{self.prefix}.live"

    @property
    def all_subjects(self) -> str:
        return f"{self.prefix}.>"

    def trade_subject(self, symbol: str) -> str:
        return f"{self.prefix}.{TRADE}.{encode_token(symbol)}"

    def gap_subject(self, symbol: str) -> str:
        return f"{self.prefix}.{TRADE}.{encode_token(symbol)}{GAP_SUFFIX}"

    def book_subject(self, symbol: str) -> str:
        return f"{self.prefix}.{BOOK}.{encode_token(symbol)}"

    def kind_prefix(self, kind: str) -> str:
        """``hkdesk.<desk>.<kind>.``: a subject starting with it carries ``kind`` (then the symbol)."""
        return f"{self.prefix}.{kind}."

    @property
    def latest_bucket(self) -> str:
        """Key-value bucket: the newest trade and book of every symbol, for an instant paint."""
        return f"hkdesk_{self.desk}_latest"

    def close_key(self, symbol: str) -> str:
        """The subject of ``symbol``'s previous close in the latest-quote bucket."""
        return f"$KV.{self.latest_bucket}.{encode_token(symbol)}{CLOSE_SUFFIX}"

    @property
    def closes_wildcard(self) -> str:
        return f"$KV.{self.latest_bucket}.*{CLOSE_SUFFIX}"

    @property
    def demand_bucket(self) -> str:
        """Key-value bucket: each desktop's watched symbols, under a lease."""
        return f"hkdesk_{self.desk}_demand"

    @property
    def leader_bucket(self) -> str:
        """Key-value bucket: who holds the upstream connection (one key, created under a lease)."""
        return f"hkdesk_{self.desk}_leader"
