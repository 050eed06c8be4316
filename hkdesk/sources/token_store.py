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

from hkdesk.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SERVICE = "hkdesk"
ACCOUNT = "alltick-token"
ENV_VAR = "HKDESK_TOKEN"

# Shown to the user (the settings dialog translates them in the "Token" context); English in logs.
FROM_COMMAND_LINE = QT_TRANSLATE_NOOP("Token", "command line")
FROM_SESSION = QT_TRANSLATE_NOOP("Token", "this session")
FROM_ENVIRONMENT = QT_TRANSLATE_NOOP("Token", "environment")
FROM_KEYRING = QT_TRANSLATE_NOOP("Token", "keyring")
FROM_NOWHERE = QT_TRANSLATE_NOOP("Token", "none")
NO_BACKEND = QT_TRANSLATE_NOOP("Token", "no OS keyring backend on this system")
KEYRING_DISABLED = QT_TRANSLATE_NOOP("Token", "keyring disabled")
#: Followed by the name of the exception that stopped ``keyring`` from loading.
KEYRING_FAILED = QT_TRANSLATE_NOOP("Token", "keyring unavailable:")
MASK_SET = QT_TRANSLATE_NOOP("Token", "●●●●●●●● (set)")
MASK_NOT_SET = QT_TRANSLATE_NOOP("Token", "(not set)")


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
        return None, f"{KEYRING_FAILED} {exc.__class__.__name__}"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    priority = getattr(backend, "priority", 1)
    if "fail" in name.lower() or (isinstance(priority, int | float) and priority <= 0):
        return None, NO_BACKEND
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
        backend, detail = _backend() if self._use_keyring else (None, KEYRING_DISABLED)
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
        backend, detail = _backend() if self._use_keyring else (None, KEYRING_DISABLED)
        if self._override:
            return TokenStatus(backend is not None, True, FROM_COMMAND_LINE, detail)
        if self._session:
            return TokenStatus(backend is not None, True, FROM_SESSION, detail)
        if os.environ.get(ENV_VAR, "").strip():
            return TokenStatus(backend is not None, True, FROM_ENVIRONMENT, detail)
        has = bool(self.get()) if backend is not None else False
        return TokenStatus(backend is not None, has, FROM_KEYRING if has else FROM_NOWHERE, detail)


def mask(token: str | None) -> str:
    """What the UI may show of a token: that one is set, never its characters."""
    return MASK_SET if token else MASK_NOT_SET


_TOKEN_IN_URL = re.compile(r"(token=)[^&\s\"']+", re.IGNORECASE)


def make_redactor(store: TokenStore):
    """A function replacing every token the store has seen (and ``token=...`` in URLs) with ``***``."""

    def redact(text: str) -> str:
        for s in sorted(store.seen, key=len, reverse=True):
            if len(s) >= 4:
                text = text.replace(s, "***")
        return _TOKEN_IN_URL.sub(r"\1***", text)

    return redact
