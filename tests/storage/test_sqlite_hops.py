"""SQLite transactions: BEGIN IMMEDIATE and writes sent later ride on the next hop, and no
hop is wasted."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import make_engine, make_session_factory
from storage.sqlite_hops import write_later

_CREATE = "CREATE TABLE t (id INTEGER PRIMARY KEY)"


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every call queued for an aiosqlite thread, in order: its name, and the first word of
    each statement sent ahead of it in the same call."""
    queued: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kw: Any) -> Any:
        ahead = args[1] if len(args) > 1 and isinstance(args[1], list) else []
        words = "".join(f" {operation.split()[0]}" for operation, _, _ in ahead)
        queued.append(getattr(fn, "__name__", repr(fn)).lstrip("_") + words)
        return await real(self, fn, *args, **kw)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    yield queued


def _writer_blocked(path: Path) -> bool:
    """Whether another connection is kept from writing now (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()
    return False


async def test_a_transaction_costs_its_statements_and_commit(tmp_path: Path,
                                                            hops: list[str]) -> None:
    path = tmp_path / "hops.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
        hops.clear()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
            await connection.execute(text("SELECT id FROM t"))
        # Back in the pool after COMMIT: no ROLLBACK is sent for it.
        assert hops == ["run BEGIN", "run", "commit"]
    finally:
        await engine.dispose()


async def test_the_first_statement_takes_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "lock.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
        async with engine.connect() as connection:
            transaction = await connection.begin()
            assert not await asyncio.to_thread(_writer_blocked, path)  # nothing sent yet
            # Only a read, yet the writer's lock is held from here (IMMEDIATE).
            await connection.execute(text("SELECT id FROM t"))
            assert await asyncio.to_thread(_writer_blocked, path)
            await transaction.rollback()
            assert not await asyncio.to_thread(_writer_blocked, path)
    finally:
        await engine.dispose()


async def test_a_failed_statement_is_rolled_back_when_returned(tmp_path: Path,
                                                              hops: list[str]) -> None:
    path = tmp_path / "failed.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
            await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
        hops.clear()
        connection = await engine.connect()
        await connection.begin()
        await connection.execute(text("INSERT INTO t (id) VALUES (2)"))
        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
        await connection.close()  # no commit: the pool rolls back
        assert hops == ["run BEGIN", "run", "rollback"]
        assert not await asyncio.to_thread(_writer_blocked, path)
        async with engine.connect() as reader:
            assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_a_failed_commit_is_rolled_back(tmp_path: Path,
                                                          hops: list[str]) -> None:
    path = tmp_path / "deferred.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
            await connection.execute(text(
                "CREATE TABLE child (id INTEGER REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)"))
        hops.clear()
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                # The foreign key is checked at COMMIT, which fails and leaves it open.
                await connection.execute(text("INSERT INTO child (id) VALUES (7)"))
        assert hops[:2] == ["run BEGIN", "commit"]
        assert not await asyncio.to_thread(_writer_blocked, path)
    finally:
        await engine.dispose()


async def test_a_write_sent_later_goes_ahead_of_the_next_statement(tmp_path: Path,
                                                                  hops: list[str]) -> None:
    path = tmp_path / "later.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_session_factory(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
        hops.clear()
        async with sessions() as session:
            await write_later(session, text("INSERT INTO t (id) VALUES (:id)"), {"id": 1})
            await write_later(session, text("INSERT INTO t (id) VALUES (:id)"),
                              [{"id": 2}, {"id": 3}])
            assert not await asyncio.to_thread(_writer_blocked, path)  # nothing sent yet
            seen = (await session.execute(text("SELECT id FROM t ORDER BY id"))).scalars()
            assert list(seen) == [1, 2, 3]
            await write_later(session, text("DELETE FROM t WHERE id = :id"), {"id": 2})
            await session.commit()
        assert hops == ["run BEGIN INSERT INSERT", "commit DELETE"]
        async with engine.connect() as reader:
            assert list((await reader.execute(text("SELECT id FROM t"))).scalars()) == [1, 3]
    finally:
        await engine.dispose()


async def test_a_write_sent_later_that_fails_fails_what_it_rode_with(tmp_path: Path,
                                                                    hops: list[str]) -> None:
    path = tmp_path / "later_failed.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_session_factory(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
            await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
        hops.clear()
        async with sessions() as session:
            await write_later(session, text("INSERT INTO t (id) VALUES (2)"), {})
            await write_later(session, text("INSERT INTO t (id) VALUES (1)"), {})
            with pytest.raises(IntegrityError):
                await session.commit()  # COMMIT is not reached
        async with sessions() as session:
            await write_later(session, text("INSERT INTO t (id) VALUES (1)"), {})
            with pytest.raises(IntegrityError):
                await session.execute(text("SELECT id FROM t"))
        assert [hop for hop in hops if hop != "rollback"] == ["commit BEGIN INSERT INSERT",
                                                              "run BEGIN INSERT"]
        assert not await asyncio.to_thread(_writer_blocked, path)
        async with engine.connect() as reader:
            assert list((await reader.execute(text("SELECT id FROM t"))).scalars()) == [1]
    finally:
        await engine.dispose()


async def test_a_rollback_drops_the_writes_kept_for_later(tmp_path: Path,
                                                         hops: list[str]) -> None:
    path = tmp_path / "later_dropped.sqlite3"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_session_factory(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(_CREATE))
        hops.clear()
        async with sessions() as session:
            await session.execute(text("INSERT INTO t (id) VALUES (1)"))
            await write_later(session, text("INSERT INTO t (id) VALUES (2)"), {})
            await session.rollback()
            await session.execute(text("INSERT INTO t (id) VALUES (3)"))
            await session.commit()
        assert hops == ["run BEGIN", "rollback", "run BEGIN", "commit"]
        async with engine.connect() as reader:
            assert list((await reader.execute(text("SELECT id FROM t"))).scalars()) == [3]
    finally:
        await engine.dispose()
