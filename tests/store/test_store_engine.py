"""Engine factory: SQLite tuning, folder creation, clear errors with passwords hidden."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hkdesk.folders import default_data_dir
from hkdesk.store import StoreError, default_db_url, make_engine, ping


@pytest.mark.parametrize(
    "url",
    [
        "definitely not a url",
        "nosuchdb://u:hunter2@host/db",
        "postgresql+nosuchdriver://u:hunter2@host/db",
    ],
)
def test_bad_url_raises_store_error_without_the_password(url):
    with pytest.raises(StoreError) as info:
        make_engine(url)
    message = str(info.value)
    assert "hunter2" not in message
    assert "URL" in message


def test_unreachable_server_is_reported_by_ping_without_the_password():
    engine = make_engine("postgresql://u:hunter2@127.0.0.1:1/db")
    assert engine.dialect.driver == "psycopg"
    with pytest.raises(StoreError) as info:
        ping(engine)
    assert "hunter2" not in str(info.value) and "127.0.0.1" in str(info.value)


def test_sqlite_file_gets_its_folder_and_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "x.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=1234)
    assert path.parent.is_dir()
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 1234
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -64 * 1024
    ping(engine)
    engine.dispose()


def test_default_url_is_sqlite_in_the_user_data_dir():
    url = default_db_url()
    assert url.startswith("sqlite:///") and url.endswith("hkdesk.db")
    assert str(default_data_dir()) in url and "hkdesk" in str(default_data_dir()).lower()
