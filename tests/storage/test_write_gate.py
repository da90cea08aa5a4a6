"""SQLite's single writer: units of work queue in the event loop, never time out in threads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.uow import SqlUnitOfWork
from tests.storage.databases import sqlite_database_url


async def test_units_of_work_take_turns_and_all_commit(tmp_path: Path) -> None:
    url = sqlite_database_url(tmp_path)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    gate = asyncio.Lock()
    inside: list[int] = []
    most_at_once = 0

    async def work(update_id: int) -> None:
        nonlocal most_at_once
        async with SqlUnitOfWork(sessions, write_gate=gate) as uow:
            inside.append(update_id)
            most_at_once = max(most_at_once, len(inside))
            await asyncio.sleep(0)  # give the others every chance to barge in
            await uow.updates.claim(update_id, datetime.now(UTC))
            await uow.commit()
            inside.remove(update_id)

    try:
        await asyncio.gather(*(work(n) for n in range(200)))
        async with SqlUnitOfWork(sessions, write_gate=gate) as uow:
            assert all([await uow.updates.seen(n) for n in range(200)])
    finally:
        await engine.dispose()
    assert most_at_once == 1


async def test_a_failing_unit_of_work_releases_the_gate(tmp_path: Path) -> None:
    url = sqlite_database_url(tmp_path)
    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    gate = asyncio.Lock()
    try:
        try:
            async with SqlUnitOfWork(make_session_factory(engine), write_gate=gate):
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert not gate.locked()
    finally:
        await engine.dispose()
