"""Describe the machine a benchmark ran on, for the table header and the JSON."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

_LIBS = (
    "PySide6-Essentials",
    "qasync",
    "websockets",
    "msgspec",
    "SQLAlchemy",
    "pyqtgraph",
    "numpy",
    "psycopg",
)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, object]:
    libs = {}
    for name in _LIBS:
        try:
            libs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libs[name] = None
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "libraries": libs,
    }
