"""The one error type the store raises, and URL redaction for messages and logs."""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url

_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_PASSWORD_IN_TEXT = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


class StoreError(Exception):
    """A database problem the caller can act on (bad URL, missing driver, newer schema...)."""


def redact_url(url: str | URL) -> str:
    """The URL as text with any password replaced by ``***`` (safe to log or show)."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return redact_text(str(url))


def redact_text(text: str) -> str:
    """Hide passwords inside free text such as a driver's error message."""
    text = _PASSWORD_IN_URL.sub(r"\1***@", text)
    return _PASSWORD_IN_TEXT.sub(r"\1***", text)
