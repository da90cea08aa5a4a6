"""aiosqlite with one thread hop per statement instead of four, and writes sent later.

SQLAlchemy's aiosqlite adapter awaits aiosqlite's thread for each step of a statement:
open a cursor, execute, fetch the rows, close the cursor. Each hop queues a call for the
connection's thread, wakes the event loop through its self-pipe when done, and waits for
the GIL both ways; in the load benchmark's profiles those hops were the largest single cost
of an update on SQLite. Here the four steps run as one call on that same thread.

The sqlite3 connection is still used by aiosqlite's own thread alone, in queue order, as
before: nothing runs SQLite in the event loop (an in-loop driver was tried and not merged,
ARCHITECTURE "The hot path, measured"). A cancelled wait leaves the call to finish on the
thread, cursor closed, before anything queued after it (a rollback, a close) runs there.

Under load each hop waits its turn in the event loop while SQLite's single writer is held
(storage/uow.py's write gate), so the hops of a transaction bound how many transactions a
second SQLite takes. So a transaction adds no hops of its own beyond COMMIT: `BEGIN
IMMEDIATE` goes with its first statement (begin_immediate(), from storage/db.py), and the
pool's rollback when a connection comes back is not sent when nothing can be open (after
a COMMIT or ROLLBACK that completed, nothing queued since). And a write whose result
nobody reads (write_later()) is not sent on its own: it goes, in order, in front of the
next statement or the COMMIT, in the same hop. If it fails, that statement or COMMIT
raises its error, and the transaction is rolled back as for any failed statement.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

# What one statement leaves behind: description, rows, rowcount, lastrowid.
_Done = tuple[Any, list[Any], int, int | None]
# What goes in front of a statement: BEGIN IMMEDIATE if due, then writes sent later, as
# (operation, parameters, many).
_Ahead = list[tuple[str, Any, bool]]
_BEGIN = "BEGIN IMMEDIATE"


def _send_ahead(connection: aiosqlite.Connection, ahead: _Ahead) -> None:
    """On the connection's thread: what waited for this hop, in order."""
    for operation, parameters, many in ahead:
        cursor = connection._conn.cursor()  # aiosqlite's sqlite3 connection, on its thread
        try:
            if many:
                cursor.executemany(operation, parameters)
            elif parameters is None:
                cursor.execute(operation)
            else:
                cursor.execute(operation, parameters)
        finally:
            cursor.close()


def _run(connection: aiosqlite.Connection, ahead: _Ahead, operation: str,
         parameters: Any) -> _Done:
    """On the connection's thread: the whole statement, its cursor closed whatever happens."""
    _send_ahead(connection, ahead)
    cursor = connection._conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        if description:
            return description, cursor.fetchall(), -1, -1
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_many(connection: aiosqlite.Connection, ahead: _Ahead, operation: str,
              parameters: Any) -> _Done:
    """On the connection's thread: executemany, its cursor closed whatever happens."""
    _send_ahead(connection, ahead)
    cursor = connection._conn.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _commit(connection: aiosqlite.Connection, ahead: _Ahead) -> None:
    """On the connection's thread: what waited, then COMMIT; if either fails, ROLLBACK.

    A failed statement or COMMIT leaves SQLite's transaction open, and SQLAlchemy, having
    asked to commit, takes the transaction as ended: it is rolled back here, not later.
    """
    try:
        _send_ahead(connection, ahead)
        connection._conn.commit()
    except BaseException:
        connection._conn.rollback()
        raise


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """The adapter's cursor, each statement one call on the connection's thread."""

    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run the statement and keep its rows, in one hop (or later, if so asked)."""
        self._send(_run, operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run the statement for each set of parameters, in one hop (or later)."""
        self._send(_run_many, operation, seq_of_parameters, many=True)

    def _send(self, run: Any, operation: Any, parameters: Any, *, many: bool) -> None:
        adapted: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        if adapted.keep_for_later(operation, parameters, many=many):
            self._result(None, [], -1, None)  # nobody reads it (write_later)
            return
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        try:
            done: _Done = self.await_(connection._execute(  # type: ignore[no-untyped-call]
                run, connection, adapted.take_ahead(), operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._result(*done)

    def _result(self, description: Any, rows: list[Any], rowcount: int,
                lastrowid: Any) -> None:
        self.description = description
        self._rows.clear()
        self._rows.extend(rows)
        self.rowcount = rowcount
        self.lastrowid = lastrowid


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """The adapter's connection, handing out one-hop cursors; BEGIN and writes sent later
    ride on the next hop."""

    # _begin: BEGIN IMMEDIATE is due with the next hop. _later: writes waiting for it.
    # _defer: the next statement waits too (write_later). _idle: nothing can be open, since
    # a COMMIT or ROLLBACK completed and nothing was queued after it.
    __slots__ = ("_begin", "_defer", "_idle", "_later")

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin = False
        self._defer = False
        self._idle = False
        self._later: _Ahead = []

    def begin_immediate(self) -> None:
        """Start a write transaction: BEGIN IMMEDIATE goes with the next hop."""
        self._begin = True
        self._idle = False

    def defer_next(self, defer: bool) -> None:
        """Whether the next statement waits for the hop after it (write_later)."""
        self._defer = defer

    def keep_for_later(self, operation: str, parameters: Any, *, many: bool) -> bool:
        """Keep this statement for the next hop if it was asked to wait."""
        if not self._defer:
            return False
        self._defer = False
        self._idle = False
        self._later.append((operation, parameters, many))
        return True

    def take_ahead(self) -> _Ahead:
        """What goes in front of the statement about to be queued: BEGIN, writes waiting."""
        self._idle = False
        ahead: _Ahead = [(_BEGIN, None, False)] if self._begin else []
        ahead.extend(self._later)
        self._begin = False
        self._later = []
        return ahead

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        """A one-hop cursor (server-side cursors are the adapter's own)."""
        if server_side:
            self._send_ahead()
            return super().cursor(server_side=True)
        return OneHopCursor(self)

    def execute(self, *args: Any, **kw: Any) -> Any:
        """The adapter's execute, after what is due ahead of it."""
        self._send_ahead()
        return super().execute(*args, **kw)

    def commit(self) -> None:
        """What is due ahead, then COMMIT, in one hop (nothing to send if BEGIN never went)."""
        if self._begin and not self._later:
            self._begin = False
            return
        try:
            self.await_(self._connection._execute(
                _commit, self._connection, self.take_ahead()))
        except Exception as error:
            self._handle_exception(error)
        self._idle = True

    def rollback(self) -> None:
        """ROLLBACK, unless nothing can be open (the pool's reset after a COMMIT); writes
        kept for later are dropped unsent."""
        self._begin = False
        self._later = []
        if self._idle:
            return
        super().rollback()
        self._idle = True

    def _send_ahead(self) -> None:
        ahead = self.take_ahead()
        if ahead:
            try:
                self.await_(self._connection._execute(
                    _send_ahead, self._connection, ahead))
            except Exception as error:
                self._handle_exception(error)


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The adapter's DBAPI module, connecting through OneHopConnection."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        """A connection as the adapter makes it, wrapped for one-hop cursors."""
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    """The DBAPI module to give create_async_engine(module=...) for SQLite."""
    return OneHopDBAPI(aiosqlite, sqlite3)


async def write_later(session: AsyncSession, statement: Executable, parameters: Any) -> None:
    """Execute a write whose result nobody reads: on SQLite it waits, to go to the thread in
    front of the transaction's next statement or its COMMIT; elsewhere it runs now."""
    # Flushed first, so that the statement that waits is this one, not one of the ORM's
    # (whose generated keys are read).
    await session.flush()
    connection = (await session.connection()).sync_connection
    assert connection is not None
    adapted = connection.connection.dbapi_connection
    if not isinstance(adapted, OneHopConnection):
        await session.execute(statement, parameters)
        return
    adapted.defer_next(True)
    try:
        await session.execute(statement, parameters)
    finally:
        adapted.defer_next(False)  # not reached the cursor (a compile error): nothing waits
