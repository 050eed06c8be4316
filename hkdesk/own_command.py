"""How to start one of hkdesk's own helper processes, from a source install or a frozen build."""

from __future__ import annotations

import sys


def own_command(sub_command: str, module: str) -> list[str]:
    """``python -m MODULE`` normally; the app binary with ``SUB_COMMAND`` when frozen.

    A frozen build (PyInstaller sets ``sys.frozen``; Nuitka defines ``__compiled__``) has no
    interpreter to take ``-m``: ``sys.executable`` is the app binary, whose sub-command
    (``hkdesk.cli.main``) runs the same code.
    """
    if getattr(sys, "frozen", False) or "__compiled__" in globals():
        return [sys.executable, sub_command]
    return [sys.executable, "-m", module]
