"""Kept answers (processed_updates.replies) go by age and with /forget; the SQLite file is
private and overwrites what is deleted."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.engine.events import Command, Event, Press, Text
from bot.loaders.content import Content, load_content
from bot.services.conversation import Inbound, handle_update
from bot.services.retention import RetentionPolicy, prune
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.models import ProcessedUpdateRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person, make_triage_record

NewUow = Callable[[], SqlUnitOfWork]


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


async def kept(engine: AsyncEngine) -> dict[int, str | None]:
    """Every update id with the answer kept for it (None: sent, or dropped)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(ProcessedUpdateRow.update_id, ProcessedUpdateRow.replies))
        return dict(rows.tuples().all())


async def test_forget_drops_the_answers_still_kept_for_the_person(
        new_uow: NewUow, engine: AsyncEngine, content: Content) -> None:
    catalog = content.catalog

    async def say(update_id: int, user: int, event: Event) -> int:
        outcome = await handle_update(new_uow(), catalog,
                                      Inbound(update_id, user, user, "en", event), T0)
        return outcome.revision

    await say(1, 7, Press("agree", "", 0))
    await say(2, 8, Press("agree", "", 0))  # someone else
    await say(3, 7, Text("Wombat-private-words"))
    revision = await say(4, 7, Command("forget"))
    before = await kept(engine)
    assert all(before[n] is not None for n in (1, 2, 3, 4))  # none sent yet (no Telegram)
    await say(5, 7, Press("forget", "yes", revision))
    after = await kept(engine)
    assert [n for n in (1, 3, 4) if after[n] is not None] == []
    assert after[2] == before[2]  # someone else's answer stays
    assert after[5] is not None  # "deleted", kept until it is sent
    assert "Wombat" not in str(after)


async def test_answers_never_sent_are_dropped_after_a_day(new_uow: NewUow,
                                                          engine: AsyncEngine) -> None:
    async with new_uow() as uow:
        for update_id, at in ((1, T0), (2, T0 + timedelta(hours=2))):
            assert await uow.updates.claim(update_id, at)
            await uow.updates.keep_replies(update_id, '{"replies": []}', 7)
        await uow.commit()
    await prune(new_uow, T0 + timedelta(hours=25), RetentionPolicy())
    assert await kept(engine) == {1: None, 2: '{"replies": []}'}


async def test_the_sqlite_file_is_private_and_deleted_rows_are_overwritten(
        tmp_path: Path) -> None:
    path = tmp_path / "data" / "backcoach.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA secure_delete"))).scalar() == 1
    finally:
        await engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    marker = "Zebra-marker-chest-pain-4711"
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        async with uow:
            person = make_person(4711)
            person.new_triage_records.append(make_triage_record(T0, text=marker))
            await uow.people.add(person)
            await uow.commit()
        async with uow:
            assert await uow.people.delete_person(4711)
            await uow.commit()
    finally:
        await engine.dispose()  # the last connection closing checkpoints the WAL into the file
    files = [path, *path.parent.glob(path.name + "-*")]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files), files
    assert not any(marker.encode() in f.read_bytes() for f in files)
