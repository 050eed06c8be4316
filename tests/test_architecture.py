"""The package's imports run one way: cli → desktop → ui → app → pipeline → sources → engines → domain.

Every import counts, also the ones inside functions (a lazy import is still a dependency).
A module may import its own part and any part of a lower layer, never a higher one or a
sideways one on the same layer (the feed knows nothing of the store, nor the store of the feed).
Qt is allowed only in ``ui``, ``app`` and ``desktop``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hkdesk

PACKAGE = Path(hkdesk.__file__).parent

#: part → layer. A part may import parts of strictly lower layers (and itself).
LAYERS: dict[str, int] = {
    "cli": 90,
    "__main__": 95,
    "desktop": 80,
    "ui": 70,
    "app": 60,
    "record": 50,
    "record_publish": 48,
    "alerts": 45,
    "export": 45,
    "pipeline": 40,
    "backfill": 40,
    "sources": 30,
    "feed": 20,
    "store": 20,
    "sim": 20,
    "domain": 10,
    "i18n": 5,
    "about": 5,
    "folders": 5,
    "own_command": 5,
    "desk": 25,
    "watchlist_file": 15,
    "hkdesk": 0,
}
QT_PARTS = {"ui", "app", "desktop"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "hkdesk"


def _imports(path: Path) -> set[str]:
    """Every absolute import of the module, at any depth (function bodies included)."""
    found: set[str] = set()
    module = _module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            # "from hkdesk import x" may name a module
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def test_every_part_has_a_layer() -> None:
    parts = {_part(m) for m in _graph()}
    assert parts <= set(LAYERS), f"parts without a layer: {sorted(parts - set(LAYERS))}"


def test_imports_only_run_downward() -> None:
    wrong = []
    for module, deps in sorted(_graph().items()):
        for dep in sorted(deps):
            a, b = _part(module), _part(dep)
            if a != b and LAYERS[b] >= LAYERS[a] and b != "hkdesk":
                wrong.append(f"{module} -> {dep}")
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*stack[stack.index(dep) :], dep]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: _module_name(p))
def test_qt_only_where_it_belongs(path: Path) -> None:
    if _part(_module_name(path)) in QT_PARTS:
        return
    qt = sorted(m for m in _imports(path) if m.split(".")[0] in {"PySide6", "pyqtgraph", "qasync"})
    assert not qt, f"{_module_name(path)} imports {qt}"


def test_no_module_over_400_lines() -> None:
    long = {
        _module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, f"modules over 400 lines: {long}"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The walk must find imports inside functions and relative ones (or it could never fail)."""
    pkg = tmp_path / "hkdesk" / "feed"
    pkg.mkdir(parents=True)
    src = pkg / "x.py"
    src.write_text("def f():\n    from hkdesk.ui import chart\n    from ..store import writer\n")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "hkdesk"
    try:
        assert {"hkdesk.ui", "hkdesk.ui.chart", "hkdesk.store", "hkdesk.store.writer"} <= _imports(src)
    finally:
        PACKAGE = saved
