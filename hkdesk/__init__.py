"""hkdesk: real-time Hong Kong stock quotes on the desktop.

The version has one source, ``version`` in pyproject.toml, read from the installed package's
metadata (a frozen build carries that metadata too). It is looked up on first use: importing
``importlib.metadata`` costs ~20 ms that the simulator child and the recorder need not pay.
"""

from __future__ import annotations

UNKNOWN_VERSION = "0+unknown"


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hkdesk")
    except PackageNotFoundError:
        return UNKNOWN_VERSION


def __getattr__(name: str) -> str:
    if name == "__version__":
        value = _installed_version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
