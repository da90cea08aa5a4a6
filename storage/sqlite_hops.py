"""aiosqlite with one thread hop per statement instead of four.

SQLAlchemy's aiosqlite adapter awaits aiosqlite's thread for each step of a statement:
open a cursor, execute, fetch the rows, close the cursor. Each hop queues a call for the
connection's thread, wakes the event loop through its self-pipe when done, and waits for
the GIL both ways; in the load benchmark's profiles those hops were the largest single cost
of an update on SQLite. Here the four steps run as one call on that same thread.

The sqlite3 connection is still used by aiosqlite's own thread alone, in queue order, as
before: nothing runs SQLite in the event loop (an in-loop driver was tried and not merged,
ARCHITECTURE "The hot path, measured"). A cancelled wait leaves the call to finish on the
thread, cursor closed, before anything queued after it (a rollback, a close) runs there.

A transaction costs no hops of its own beyond COMMIT: `BEGIN IMMEDIATE` goes to the thread
with the transaction's first statement (begin_on_first_statement(), storage/db.py), and the
pool's rollback when a connection comes back is not sent when nothing can be open (after a
COMMIT or ROLLBACK that completed, with no statement since). Under load each hop waits its
turn in the event loop while SQLite's single writer is held (storage/uow.py's write gate),
so fewer hops per transaction is more transactions per second.
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

# What one statement leaves behind: description, rows, rowcount, lastrowid.
_Done = tuple[Any, list[Any], int, int | None]
_BEGIN = "BEGIN IMMEDIATE"


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any) -> _Done:
    """On the connection's thread: the whole statement, its cursor closed whatever happens."""
    cursor = connection._conn.cursor()  # aiosqlite's sqlite3 connection, on its thread
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


def _run_begun(connection: aiosqlite.Connection, operation: str, parameters: Any) -> _Done:
    """On the connection's thread: BEGIN IMMEDIATE, then the transaction's first statement."""
    connection._conn.execute(_BEGIN).close()
    return _run(connection, operation, parameters)


def _run_many(connection: aiosqlite.Connection, operation: str, parameters: Any) -> _Done:
    """On the connection's thread: executemany, its cursor closed whatever happens."""
    cursor = connection._conn.cursor()  # aiosqlite's sqlite3 connection, on its thread
    try:
        cursor.executemany(operation, parameters)
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """The adapter's cursor, each statement one call on the connection's thread."""

    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run the statement and keep its rows, in one hop (with BEGIN, if one is due)."""
        adapted: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        self._done(_run_begun if adapted.starting() else _run, operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run the statement for each set of parameters, in one hop (after a due BEGIN)."""
        adapted: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        if adapted.starting():
            self._done(_run, _BEGIN, None)
        self._done(_run_many, operation, seq_of_parameters)

    def _done(self, run: Any, operation: Any, parameters: Any) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        try:
            description, rows, rowcount, lastrowid = self.await_(
                connection._execute(run, connection, operation, parameters))  # type: ignore[no-untyped-call]
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self._rows.clear()
        self._rows.extend(rows)
        self.rowcount = rowcount
        self.lastrowid = lastrowid


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """The adapter's connection, handing out one-hop cursors; BEGIN rides on the first."""

    # _begin: BEGIN IMMEDIATE is due with the next statement. _idle: nothing can be open,
    # since a COMMIT or ROLLBACK completed and nothing was queued after it.
    __slots__ = ("_begin", "_idle")

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin = False
        self._idle = False

    def begin_immediate(self) -> None:
        """Start a write transaction: BEGIN IMMEDIATE goes with the next statement."""
        self._begin = True
        self._idle = False

    def starting(self) -> bool:
        """Whether BEGIN is due with the statement about to be queued (then no longer)."""
        self._idle = False
        begin, self._begin = self._begin, False
        return begin

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        """A one-hop cursor (server-side cursors are the adapter's own)."""
        if server_side:
            if self.starting():
                OneHopCursor(self)._done(_run, _BEGIN, None)
            return super().cursor(server_side=True)
        return OneHopCursor(self)

    def execute(self, *args: Any, **kw: Any) -> Any:
        """The adapter's execute, after a due BEGIN."""
        if self.starting():
            OneHopCursor(self)._done(_run, _BEGIN, None)
        return super().execute(*args, **kw)

    def commit(self) -> None:
        """COMMIT (nothing to send when BEGIN never went)."""
        if self._begin:
            self._begin = False
            return
        self._idle = False
        super().commit()
        self._idle = True

    def rollback(self) -> None:
        """ROLLBACK, unless nothing can be open (the pool's reset after a COMMIT)."""
        self._begin = False
        if self._idle:
            return
        super().rollback()
        self._idle = True


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The adapter's DBAPI module, connecting through OneHopConnection."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        """A connection as the adapter makes it, wrapped for one-hop cursors."""
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


def one_hop_dbapi() -> OneHopDBAPI:
    """The DBAPI module to give create_async_engine(module=...) for SQLite."""
    return OneHopDBAPI(aiosqlite, sqlite3)
