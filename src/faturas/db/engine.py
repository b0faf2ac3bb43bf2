"""Engines are built from settings, never at import time, so tests can point them anywhere."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from faturas.config import Settings
from faturas.db.write_gate import WriteGate, gate_for

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: Execution option of read-only units of work: on SQLite they begin a deferred transaction.
READ_ONLY = "faturas_read_only"

#: SQLite waits this long for another writer instead of failing at once.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    gate = gate_for(parsed.database) if parsed.database and parsed.database != ":memory:" else None
    event.listen(engine, "begin", partial(_begin_sqlite, gate))
    if gate is not None:
        # The gate is left when the connection goes back to the pool: after the COMMIT or ROLLBACK.
        release = partial(_leave_gate, gate)
        for name in ("reset", "checkin", "invalidate"):
            event.listen(engine.pool, name, release)
    return engine


#: Connection info key: this connection's transaction holds its database's write gate.
_HOLDS_GATE = "faturas_holds_write_gate"


def _begin_sqlite(gate: WriteGate | None, connection: Connection) -> None:
    # Writing transactions take the write lock up front: a deferred transaction that reads and then
    # writes fails at once with SQLITE_BUSY when another writer got in between, whatever the timeout.
    # Read-only ones stay deferred, so (in WAL mode) they neither wait for writers nor block them.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    # Writers take turns at the gate first: waiting there ends as soon as the last writer commits,
    # where SQLite's busy handler sleeps up to 100 ms between looks (see write_gate).
    if not read_only and gate is not None and not connection.info.get(_HOLDS_GATE) and gate.acquire():
        connection.info[_HOLDS_GATE] = True
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _leave_gate(gate: WriteGate, _dbapi_connection: Any, record: Any, *_args: Any) -> None:
    if record is not None and record.info.pop(_HOLDS_GATE, False):
        gate.release()


def _configure_sqlite(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_from_settings(settings: Settings) -> Engine:
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.resolved_database_url)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)
