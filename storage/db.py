"""Engine and session factories tuned for SQLite (single process) and PostgreSQL."""

from __future__ import annotations

import contextlib
import math
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from storage.sqlite_hops import OneHopConnection, one_hop_dbapi

SQLITE_BUSY_TIMEOUT_MS = 10_000
PING_AFTER_IDLE_SECONDS = 5.0


def make_engine(url: str) -> AsyncEngine:
    """An async engine for the bot: SQLite with WAL and foreign keys, or pooled PostgreSQL."""
    return _create(url, foreign_keys=True, pooled=True)


def make_migration_engine(url: str) -> AsyncEngine:
    """A one-shot engine for Alembic; SQLite foreign keys stay off while tables are rebuilt."""
    # Alembic's batch mode recreates SQLite tables (copy, DROP, rename); with foreign keys
    # on, dropping `people` would cascade-delete every child row.
    return _create(url, foreign_keys=False, pooled=False)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose loaded objects stay usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _create(url: str, *, foreign_keys: bool, pooled: bool) -> AsyncEngine:
    parsed = make_url(url)
    # Bound parameters hold health data and message-derived values: keep them out of
    # exception messages, which end up in logs.
    options: dict[str, Any] = {"hide_parameters": True}
    if not pooled:
        options["poolclass"] = NullPool
    if parsed.get_backend_name() == "sqlite":
        _create_parent_folder(parsed)
        # One thread hop per statement instead of aiosqlite's four (storage/sqlite_hops.py).
        engine = create_async_engine(parsed, module=one_hop_dbapi(), **options)
        _configure_sqlite(engine, foreign_keys=foreign_keys)
        return engine
    if pooled and parsed.get_backend_name() == "postgresql":
        options.update(pool_size=10, max_overflow=10, pool_recycle=1800)
        engine = create_async_engine(parsed, **options)
        _ping_after_idle(engine)
        return engine
    return create_async_engine(parsed, **options)


def _ping_after_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it sat idle for a while.

    A ping drops connections the server or a proxy closed while idle, instead of failing
    the first update after a quiet night. Pinging on every checkout (pool_pre_ping) cost a
    round trip per transaction: under load a connection is reused within milliseconds.
    """
    @event.listens_for(engine.sync_engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", math.inf) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool discards this connection and checks out another (a fresh one).
            raise DisconnectionError from exc


def _create_parent_folder(url: URL) -> None:
    """The folder (0700) and the database file (0600) when they do not exist yet.

    SQLite would create the file with the process's umask, often readable by everyone, and
    its -wal and -shm files copy the file's mode: health data readable by every local user.
    """
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that we emit BEGIN ourselves
        # (below); the driver would otherwise also commit implicitly before DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            # Deleted rows (/forget, retention) are overwritten with zeros, not left in free
            # pages of the file (and of backups copied from it) until SQLite reuses them.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front and waits (busy_timeout) for it. With a
        # deferred BEGIN, two transactions that both read and then write fail at once with
        # SQLITE_BUSY, because a stale WAL snapshot cannot be upgraded to a writer. It goes
        # to aiosqlite's thread with the transaction's first statement, not in a hop of its
        # own (storage/sqlite_hops.py).
        adapted = connection.connection.dbapi_connection
        assert isinstance(adapted, OneHopConnection)  # the engine's module is one_hop_dbapi()
        adapted.begin_immediate()
