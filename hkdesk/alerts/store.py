"""Alert definitions and the alert log in ``<config-dir>/alerts.db``, for the app and the CLI.

Every method opens its own short transaction, so the store can be used from any thread; the
app calls it from a worker (see :class:`hkdesk.alerts.recorder.FiringRecorder`), never from
the event loop. Writes that change definitions bump ``revision`` in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, case, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from hkdesk.alerts import schema
from hkdesk.alerts.model import Alert, Kind
from hkdesk.alerts.paths import ALERTS_FILE
from hkdesk.alerts.rule import AlertEvent
from hkdesk.store.engine import DEFAULT_BUSY_TIMEOUT_MS, make_engine
from hkdesk.store.errors import StoreError
from hkdesk.store.schema import run_migrations


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One firing as logged: where the quotes came from, what fired, on which trade, and when."""

    id: int
    alert_id: int | None
    source: str
    symbol: str
    kind: Kind
    condition: str
    price: Decimal
    #: Exchange time of the trade (epoch ms).
    ts: int
    #: Our clock when the alert fired (epoch seconds).
    logged_at: float


class AlertStore:
    def __init__(self, path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        """Open (creating or upgrading) the alerts file at ``path``; raises ``StoreError``."""
        self.path = Path(path)
        self.engine: Engine = make_engine(f"sqlite:///{self.path}", busy_timeout_ms=busy_timeout_ms)
        try:
            run_migrations(self.engine, schema.schema_version, schema.MIGRATIONS)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise StoreError(f"cannot use the alerts file {self.path}: {reason}") from exc
        except Exception:
            self.engine.dispose()
            raise

    @classmethod
    def in_folder(cls, config_dir: Path) -> AlertStore:
        return cls(Path(config_dir) / ALERTS_FILE)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ definitions
    def alerts(self) -> list[Alert]:
        """Every alert, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.alerts).order_by(schema.alerts.c.id)).all()
        return [_alert(row) for row in rows]

    def revision(self) -> int:
        """A number that changes whenever a definition is added, changed or deleted."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(schema.revision.c.value)).scalar_one())

    def add(self, new: Iterable[Alert]) -> list[Alert]:
        """Store new alerts in one transaction; returns them with their ids."""
        with self.engine.begin() as conn:
            return self._insert(conn, list(new))

    def import_alerts(self, new: Sequence[Alert]) -> tuple[list[Alert], int]:
        """Add the alerts whose rule is not stored yet, all in one transaction.

        Returns the added alerts and how many were already there, so importing a file twice
        changes nothing the second time.
        """
        with self.engine.begin() as conn:
            rows = conn.execute(select(schema.alerts)).all()
            stored = [_alert(row) for row in rows]
            fresh = [a for a in new if not any(a.same_rule(s) for s in stored)]
            return self._insert(conn, fresh), len(new) - len(fresh)

    def update(self, alert: Alert) -> None:
        """Change a stored alert's rule, pause flag or firing state (by id)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(schema.alerts).where(schema.alerts.c.id == alert.id).values(**_row(alert))
            )
            if done.rowcount != 1:
                raise KeyError(f"no alert with id {alert.id}")
            _bump(conn)

    def delete(self, alert_id: int) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(schema.alerts.delete().where(schema.alerts.c.id == alert_id))
            if done.rowcount:
                _bump(conn)
            return bool(done.rowcount)

    def _insert(self, conn: Connection, new: list[Alert]) -> list[Alert]:
        now = time.time()
        out = []
        for alert in new:
            key = conn.execute(
                schema.alerts.insert().values(**_row(alert), created_at=now)
            ).inserted_primary_key
            out.append(replace(alert, id=int(key[0])))  # type: ignore[index]
        if out:
            _bump(conn)
        return out

    # ------------------------------------------------------------------ the log
    def record(self, events: Sequence[tuple[AlertEvent, float]], source: str) -> None:
        """Log firings (each with our clock's time) and store each alert's latest firing time,
        in one transaction. An alert deleted meanwhile is still logged."""
        if not events:
            return
        t = schema.alerts.c
        with self.engine.begin() as conn:
            conn.execute(
                schema.alert_log.insert(),
                [
                    {
                        "alert_id": e.alert.id or None,
                        "source": source,
                        "symbol": e.symbol,
                        "kind": str(e.alert.kind),
                        "condition": e.condition,
                        "price": e.price,
                        "ts": e.ts,
                        "logged_at": logged_at,
                    }
                    for e, logged_at in events
                ],
            )
            for e, _ in events:
                if e.alert.id:
                    newer = case((t.last_fired_ts.is_(None), e.ts), else_=func.max(t.last_fired_ts, e.ts))
                    conn.execute(update(schema.alerts).where(t.id == e.alert.id).values(last_fired_ts=newer))

    def log(self, since: float | None = None) -> list[LogEntry]:
        """Logged firings, oldest first; with ``since`` (epoch seconds), those logged from then on."""
        query = select(schema.alert_log).order_by(schema.alert_log.c.logged_at, schema.alert_log.c.id)
        if since is not None:
            query = query.where(schema.alert_log.c.logged_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            LogEntry(
                id=r.id,
                alert_id=r.alert_id,
                source=r.source,
                symbol=r.symbol,
                kind=Kind(r.kind),
                condition=r.condition,
                price=r.price,
                ts=r.ts,
                logged_at=r.logged_at,
            )
            for r in rows
        ]


def _bump(conn: Connection) -> None:
    conn.execute(update(schema.revision).values(value=schema.revision.c.value + 1))


def _row(alert: Alert) -> dict:
    return {
        "symbol": alert.symbol,
        "kind": str(alert.kind),
        "value": alert.value,
        "minutes": alert.minutes,
        "cooldown_minutes": alert.cooldown_minutes,
        "paused": alert.paused,
        "last_fired_ts": alert.last_fired_ts,
    }


def _alert(row) -> Alert:
    return Alert(
        symbol=row.symbol,
        kind=Kind(row.kind),
        value=row.value,
        minutes=row.minutes,
        cooldown_minutes=row.cooldown_minutes,
        paused=bool(row.paused),
        id=row.id,
        last_fired_ts=row.last_fired_ts,
    )
