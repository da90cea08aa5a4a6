"""SQLite for the bot's engine: statements run in the event loop, waits in a thread.

aiosqlite runs every call in a thread of its own: a statement costs four round trips
between threads (cursor, execute, fetch, close), each waiting for the GIL, while the
statement itself takes microseconds. In the load benchmark that was about a third of the
bot's CPU. Here the standard sqlite3 driver runs statements where they are issued, and
only what can wait goes to a thread: `BEGIN IMMEDIATE` (it may wait for another writer up
to the busy timeout, and that writer may need this event loop to finish) and `COMMIT` (the
WAL is synced to disk). Transactions are already one at a time per process (the unit of
work's write gate), so running their statements in the loop changes no order.

Registered as `sqlite+inloop`; `storage.db.make_engine` picks it for `sqlite+aiosqlite` URLs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_only

DRIVER = "inloop"
# Apart: BEGINs waiting for the lock must never leave the lock holder's COMMIT without a
# thread (it would wait out the busy timeout behind them).
_BEGINS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sqlite-begin")
_COMMITS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sqlite-commit")


def _in_thread(threads: ThreadPoolExecutor, function: Any, *args: Any) -> Any:
    """Run a blocking driver call in a thread, from SQLAlchemy's greenlet in the loop."""
    return await_only(_finished(asyncio.get_running_loop().run_in_executor(
        threads, function, *args)))


async def _finished(call: asyncio.Future[Any]) -> Any:
    """The call's result once its thread is done, even when cancelled meanwhile.

    A thread cannot be stopped: cancelled at once, SQLAlchemy would roll back, close or
    hand out the connection while the thread is still inside it (a crash, not an error).
    The cancellation is raised once the thread has let go of the connection.
    """
    cancelled = False
    while not call.done():
        try:
            await asyncio.wait([call])
        except asyncio.CancelledError:
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError
    return call.result()


async def _nothing() -> None:
    """Awaited after each statement: SQLAlchemy's async layer requires one await per call
    (it checks that the driver is async), and this one never suspends."""


class _Cursor(sqlite3.Cursor):
    """sqlite3's cursor with the hook SQLAlchemy's async results call when done."""

    async def _async_soft_close(self) -> None:
        """Nothing to release: the rows were read in the loop."""


class _Connection(sqlite3.Connection):
    """sqlite3's connection handing out cursors SQLAlchemy's async results accept."""

    def cursor(self, factory: Any = _Cursor) -> Any:
        """A new cursor, of our class unless told otherwise."""
        return super().cursor(factory)


class InLoopSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite as an async dialect: statements inline, BEGIN and COMMIT in a thread."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        """Async-aware pools, as aiosqlite's dialect uses."""
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool

    def create_connect_args(self, url: URL) -> Any:
        """pysqlite's arguments, with our connection class."""
        args, options = super().create_connect_args(url)
        options["factory"] = _Connection
        return args, options

    def do_execute(self, cursor: Any, statement: Any, parameters: Any,
                   context: Any = None) -> None:
        """Run the statement here, in the loop."""
        super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]
        await_only(_nothing())

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        """Run the statement here, in the loop."""
        super().do_execute_no_params(cursor, statement, context)  # type: ignore[no-untyped-call]
        await_only(_nothing())

    def do_executemany(self, cursor: Any, statement: Any, parameters: Any,
                       context: Any = None) -> None:
        """Run the statements here, in the loop."""
        super().do_executemany(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]
        await_only(_nothing())

    def do_begin(self, dbapi_connection: Any) -> None:
        """Take the write lock up front, waiting for it (busy_timeout) in a thread."""
        # The driver's own transaction control is off (isolation_level None): we begin.
        _in_thread(_BEGINS, dbapi_connection.execute, "BEGIN IMMEDIATE")

    def do_commit(self, dbapi_connection: Any) -> None:
        """Commit in a thread: it syncs the WAL to disk."""
        _in_thread(_COMMITS, dbapi_connection.commit)


registry.register(f"sqlite.{DRIVER}", __name__, "InLoopSQLiteDialect")
