"""Shared test fixtures.

Async tests run on a real qasync loop (the loop the app uses), through pytest-asyncio's
``pytest_asyncio_loop_factories`` hook. Services (PostgreSQL) are optional on a user's
machine and required in CI: set ``HKDESK_REQUIRE_SERVICES=1`` to turn a skip into a failure.
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtWidgets import QApplication

PG_BASE_URL = os.environ.get("HKDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_asyncio_loop_factories(config, item):
    def factory() -> qasync.QEventLoop:
        app = QApplication.instance() or QApplication([])
        return qasync.QEventLoop(app, already_running=False)

    return {"qasync": factory}


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Finalise each test's leftovers (closed loops, sockets, Qt wrappers) at a known point.

    Left to a random later garbage collection, their finalisers can run in the middle of the
    next test, e.g. inside pytest's assertion rewriting, where CPython 3.11 fails with
    "AST constructor recursion depth mismatch" or worse. One collection per test prevents that.
    What survives it is frozen (kept out of later collections), so each collection looks at one
    test's objects only instead of every object the run has ever kept: a third of the suite's
    time went to walking the same long-lived heap again after every test.
    """
    yield
    gc.collect()
    gc.freeze()
    gc.enable()  # a desk that failed to close may have left automatic collection off


def services_required() -> bool:
    return os.environ.get("HKDESK_REQUIRE_SERVICES", "") not in ("", "0", "false")


def _missing_service(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (HKDESK_REQUIRE_SERVICES is set, so this is an error)")
    pytest.skip(reason)


def _pg_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install '.[postgres]')"
    try:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
            return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc.__class__.__name__}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL to a fresh, empty PostgreSQL schema, dropped afterwards."""
    problem = _pg_available()
    if problem:
        _missing_service(problem)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hkdesk.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """Run a test against both supported databases."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hkdesk.db'}"
    return request.getfixturevalue("pg_url")
