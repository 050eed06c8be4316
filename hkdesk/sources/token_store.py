"""Where the AllTick token lives: the OS keyring, or ``HKDESK_TOKEN`` when there is none.

Headless Linux boxes usually have no keyring backend: ``keyring`` then picks its "fail"
backend (priority 0) or raises. We detect that, say so to the user, and read the token from
the environment instead. The token is never written to a plain file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

SERVICE = "hkdesk"
ACCOUNT = "alltick-token"
ENV_VAR = "HKDESK_TOKEN"


@dataclass(frozen=True, slots=True)
class TokenStatus:
    keyring_available: bool
    has_token: bool
    source: str
    """``keyring``, ``environment``, ``command line`` or ``none``."""
    detail: str = ""


def _backend():
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # keyring itself may fail to load a backend
        return None, f"keyring unavailable: {exc.__class__.__name__}"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    priority = getattr(backend, "priority", 1)
    if "fail" in name.lower() or (isinstance(priority, int | float) and priority <= 0):
        return None, "no OS keyring backend on this system"
    return backend, name


class TokenStore:
    """Read and write the token; ``override`` (the ``--token`` option) wins over everything."""

    def __init__(self, override: str | None = None, *, use_keyring: bool = True) -> None:
        self._override = override or None
        self._use_keyring = use_keyring
        self._session: str | None = None
        #: Every token value this process has seen, for redaction of log lines.
        self.seen: set[str] = {override} if override else set()

    @property
    def explicit(self) -> str | None:
        """The token given on the command line, if any."""
        return self._override

    def keyring_available(self) -> bool:
        return self._use_keyring and _backend()[0] is not None

    def get(self) -> str | None:
        token = self._lookup()
        if token:
            self.seen.add(token)
        return token

    def _lookup(self) -> str | None:
        if self._override:
            return self._override
        if self._session:
            return self._session
        env = os.environ.get(ENV_VAR, "").strip()
        if env:
            return env
        if not self._use_keyring:
            return None
        backend, _detail = _backend()
        if backend is None:
            return None
        try:
            return backend.get_password(SERVICE, ACCOUNT) or None
        except Exception as exc:
            log.warning("could not read the token from the keyring: %s", exc.__class__.__name__)
            return None

    def set(self, token: str) -> bool:
        """Store in the keyring; False (and a log line) when there is no keyring to store in."""
        if token:
            self.seen.add(token)
        backend, detail = _backend() if self._use_keyring else (None, "keyring disabled")
        if backend is None:
            self._session = token or None
            log.warning(
                "token kept for this session only: %s; set %s in the environment to keep it", detail, ENV_VAR
            )
            return False
        try:
            if token:
                backend.set_password(SERVICE, ACCOUNT, token)
            else:
                with contextlib.suppress(Exception):
                    backend.delete_password(SERVICE, ACCOUNT)
            return True
        except Exception as exc:
            log.warning("token not saved to the keyring: %s", exc.__class__.__name__)
            return False

    def status(self) -> TokenStatus:
        backend, detail = _backend() if self._use_keyring else (None, "keyring disabled")
        if self._override:
            return TokenStatus(backend is not None, True, "command line", detail)
        if self._session:
            return TokenStatus(backend is not None, True, "this session", detail)
        if os.environ.get(ENV_VAR, "").strip():
            return TokenStatus(backend is not None, True, "environment", detail)
        has = bool(self.get()) if backend is not None else False
        return TokenStatus(backend is not None, has, "keyring" if has else "none", detail)


def mask(token: str | None) -> str:
    """What the UI may show of a token: that one is set, never its characters."""
    return "●●●●●●●● (set)" if token else "(not set)"


_TOKEN_IN_URL = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)


def make_redactor(store: TokenStore):
    """A function replacing every token the store has seen (and ``token=...`` in URLs) with ``***``."""

    def redact(text: str) -> str:
        for s in sorted(store.seen, key=len, reverse=True):
            if len(s) >= 4:
                text = text.replace(s, "***")
        return _TOKEN_IN_URL.sub(r"\1***", text)

    return redact
