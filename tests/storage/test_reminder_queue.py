"""The reminder queue: claims, marks and stale claims, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.model import Reminder
from bot.services.ports import ClaimedReminder
from storage.models import ReminderRow
from storage.reminder_queue import due_query
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import BERLIN_SUMMER, make_person, query_plan

NewUow = Callable[[], SqlUnitOfWork]

NOW = datetime(2025, 3, 20, 7, 30, tzinfo=UTC)


async def _schedule(
    new_uow: NewUow, telegram_user_id: int, *fire_at: datetime, **changes: object
) -> list[int]:
    """Add a person with one pending "session" reminder per time; their ids."""
    person = make_person(
        telegram_user_id, reminders=[Reminder("session", at) for at in fire_at], **changes
    )
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    ids = [reminder.id for reminder in person.reminders]
    assert None not in ids
    return [i for i in ids if i is not None]


async def _rows(engine: AsyncEngine) -> dict[int, ReminderRow]:
    async with engine.connect() as connection:
        result = await connection.execute(select(ReminderRow))
        return {row.id: ReminderRow(**row._asdict()) for row in result}


async def _claim(new_uow: NewUow, worker: str = "w", limit: int = 500,
                 now: datetime = NOW) -> list[ClaimedReminder]:
    async with new_uow() as uow:
        claimed = await uow.reminders.claim_due(now, worker, limit)
        await uow.commit()
    return claimed


async def test_claim_due_takes_due_reminders_earliest_first(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    (late,) = await _schedule(new_uow, 1, NOW - timedelta(minutes=1))
    # 07:29:00 and 07:30:00 UTC, the first given in UTC+2: ordered by instant.
    early, exact = await _schedule(
        new_uow, 2, (NOW - timedelta(minutes=1, seconds=30)).astimezone(BERLIN_SUMMER), NOW
    )
    await _schedule(new_uow, 3, NOW + timedelta(microseconds=1))  # not due yet
    await _schedule(new_uow, 4, NOW - timedelta(hours=1), inactive=True)  # blocked the bot
    async with new_uow() as uow:
        person = await uow.people.get(2)
        assert person is not None
        person.reminders.append(Reminder("checkin", NOW - timedelta(days=1), status="sent"))
        person.reminders.append(Reminder("checkin", NOW - timedelta(days=1), status="missed"))
        await uow.people.save(person)
        await uow.commit()

    first = await _claim(new_uow, "host-1:4242", limit=2)
    assert first == [
        ClaimedReminder(early, 2, 5_000_000_002, "session", NOW - timedelta(seconds=90)),
        ClaimedReminder(late, 1, 5_000_000_001, "session", NOW - timedelta(minutes=1)),
    ]
    for claimed in first:
        assert claimed.fire_at.utcoffset() == timedelta(0)
    # Never the same one twice.
    assert [c.id for c in await _claim(new_uow, limit=2)] == [exact]
    assert await _claim(new_uow) == []

    rows = await _rows(engine)
    assert (rows[early].status, rows[early].claimed_at, rows[early].claimed_by) == (
        "claimed", NOW, "host-1:4242"
    )
    assert rows[exact].claimed_by == "w"
    statuses = sorted(row.status for row in rows.values())
    assert statuses == ["claimed"] * 3 + ["missed", "pending", "pending", "sent"]


async def test_claim_limits(new_uow: NewUow) -> None:
    await _schedule(new_uow, 1, NOW)
    assert await _claim(new_uow, limit=0) == []
    async with new_uow() as uow:
        with pytest.raises(ValueError, match="worker"):
            await uow.reminders.claim_due(NOW, "w" * 65)
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.reminders.claim_due(datetime(2025, 3, 20, 7, 30), "w")
    assert len(await _claim(new_uow, "w" * 64)) == 1


async def test_an_inactive_persons_reminders_wait_until_they_are_back(new_uow: NewUow) -> None:
    (reminder_id,) = await _schedule(new_uow, 1, NOW)
    async with new_uow() as uow:
        await uow.people.mark_inactive(1, True)
        await uow.commit()
    assert await _claim(new_uow) == []
    async with new_uow() as uow:
        person = await uow.people.get(1)
        assert person is not None and [r.id for r in person.reminders] == [reminder_id]
        person.inactive = False  # they wrote again
        await uow.people.save(person)
        await uow.commit()
    assert [c.id for c in await _claim(new_uow)] == [reminder_id]


async def test_a_claimed_reminder_is_not_loaded_nor_cancelled_by_its_person(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    claimed_id, later_id = await _schedule(new_uow, 1, NOW, NOW + timedelta(days=1))
    await _claim(new_uow)
    async with new_uow() as uow:
        person = await uow.people.get(1)
        assert person is not None and [r.id for r in person.reminders] == [later_id]
        person.reminders.append(Reminder("session", NOW + timedelta(days=2)))
        await uow.people.save(person)
        await uow.commit()
    assert (await _rows(engine))[claimed_id].status == "claimed"


async def test_mark(new_uow: NewUow, engine: AsyncEngine) -> None:
    ids = await _schedule(new_uow, 1, *(NOW - timedelta(minutes=m) for m in range(4, 0, -1)))
    sent, missed, cancelled, released = ids
    assert [c.id for c in await _claim(new_uow)] == ids
    done = NOW + timedelta(seconds=3)
    async with new_uow() as uow:
        await uow.reminders.mark(sent, "sent", done.astimezone(BERLIN_SUMMER))
        await uow.reminders.mark(missed, "missed", done)
        await uow.reminders.mark(cancelled, "cancelled", done)
        await uow.reminders.mark(released, "pending", done)
        await uow.reminders.mark(424242, "sent", done)  # deleted meanwhile: nothing happens
        with pytest.raises(ValueError, match="status"):
            await uow.reminders.mark(sent, "claimed", done)
        with pytest.raises(ValueError, match="naive"):
            await uow.reminders.mark(sent, "sent", datetime(2025, 3, 20))
        await uow.commit()

    rows = await _rows(engine)
    summary = {
        i: (rows[i].status, rows[i].claimed_at, rows[i].claimed_by, rows[i].sent_at)
        for i in ids
    }
    assert summary == {
        sent: ("sent", NOW, "w", done),
        missed: ("missed", NOW, "w", None),
        cancelled: ("cancelled", NOW, "w", None),
        released: ("pending", None, None, None),
    }
    # The released one is claimed again; a settled one is never changed.
    assert [c.id for c in await _claim(new_uow, "w2")] == [released]
    async with new_uow() as uow:
        await uow.reminders.mark(sent, "pending", done)
        await uow.reminders.mark(missed, "sent", done)
        await uow.commit()
    rows = await _rows(engine)
    assert (rows[sent].status, rows[missed].status) == ("sent", "missed")


async def test_release_stale_claims(new_uow: NewUow, engine: AsyncEngine) -> None:
    stale, fresh, pending = await _schedule(
        new_uow, 1, NOW - timedelta(hours=1), NOW, NOW + timedelta(minutes=10)
    )
    await _claim(new_uow, "dead", limit=1, now=NOW - timedelta(minutes=10))
    await _claim(new_uow, "alive", now=NOW)
    async with new_uow() as uow:
        assert await uow.reminders.release_stale_claims(NOW - timedelta(minutes=5)) == 1
        assert await uow.reminders.release_stale_claims(NOW - timedelta(minutes=5)) == 0
        await uow.commit()
    rows = await _rows(engine)
    assert (rows[stale].status, rows[stale].claimed_at, rows[stale].claimed_by) == (
        "pending", None, None
    )
    assert (rows[fresh].status, rows[fresh].claimed_by) == ("claimed", "alive")
    assert rows[pending].status == "pending"
    # Sent again by the next tick: a repeat, never a loss.
    assert [c.id for c in await _claim(new_uow, "alive")] == [stale]


async def test_a_worker_shutting_down_hands_back_only_its_own_claims(
        new_uow: NewUow, engine: AsyncEngine) -> None:
    mine, theirs, sent = await _schedule(new_uow, 1, NOW - timedelta(minutes=2),
                                         NOW - timedelta(minutes=1), NOW)
    await _claim(new_uow, "leaving", limit=1)
    await _claim(new_uow, "staying", limit=1)
    await _claim(new_uow, "leaving", limit=1)
    async with new_uow() as uow:
        await uow.reminders.mark(sent, "sent", NOW)
        assert await uow.reminders.release_worker("leaving") == 1
        assert await uow.reminders.release_worker("leaving") == 0
        await uow.commit()
    rows = await _rows(engine)
    assert (rows[mine].status, rows[mine].claimed_by) == ("pending", None)
    assert (rows[theirs].status, rows[theirs].claimed_by) == ("claimed", "staying")
    assert rows[sent].status == "sent"
    assert [c.id for c in await _claim(new_uow, "next")] == [mine]


async def test_claimed_reminders_go_with_their_person(new_uow: NewUow) -> None:
    (reminder_id,) = await _schedule(new_uow, 1, NOW)
    await _claim(new_uow)
    async with new_uow() as uow:
        assert await uow.people.delete_person(1)
        await uow.reminders.mark(reminder_id, "sent", NOW)
        assert await uow.reminders.release_stale_claims(NOW + timedelta(days=1)) == 0
        await uow.commit()


async def test_two_units_of_work_claiming_at_once_take_disjoint_reminders(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    ids = await _schedule(new_uow, 1, *(NOW - timedelta(minutes=m) for m in range(10, 0, -1)))
    first, second = new_uow(), new_uow()
    if engine.dialect.name == "postgresql":
        async with first, second:
            a = await first.reminders.claim_due(NOW, "a", limit=4)
            # The first claim is not committed: its rows are locked, and the second claim
            # skips them instead of waiting (which, here, would never end).
            b = await asyncio.wait_for(second.reminders.claim_due(NOW, "b"), timeout=10)
            await second.commit()
            await first.commit()
    else:
        # SQLite runs one writing transaction at a time (BEGIN IMMEDIATE): in turn.
        async with first:
            a = await first.reminders.claim_due(NOW, "a", limit=4)
            await first.commit()
        async with second:
            b = await second.reminders.claim_due(NOW, "b")
            await second.commit()
    assert [c.id for c in a] == ids[:4]
    assert [c.id for c in b] == ids[4:]
    assert await _claim(new_uow) == []
    rows = await _rows(engine)
    assert [rows[i].claimed_by for i in ids] == ["a"] * 4 + ["b"] * 6


async def test_many_workers_claim_every_reminder_exactly_once(new_uow: NewUow) -> None:
    times = [NOW - timedelta(seconds=s) for s in range(120)]
    expected: list[int] = []
    for person in range(4):
        expected += await _schedule(new_uow, person + 1, *times[person::4])
    start = asyncio.Barrier(5)

    async def worker(name: str) -> list[int]:
        await start.wait()
        taken: list[int] = []
        while True:
            claimed = await _claim(new_uow, name, limit=7)
            if not claimed:
                return taken
            taken += [c.id for c in claimed]
            await asyncio.sleep(0)

    results = await asyncio.gather(*(worker(f"w{n}") for n in range(5)))
    everything = [i for taken in results for i in taken]
    assert sorted(everything) == sorted(expected)  # each once: none twice, none lost


async def test_claim_uses_the_status_fire_at_index(engine: AsyncEngine) -> None:
    plan = await query_plan(engine, due_query(NOW, 500))
    assert "ix_reminders_status_fire_at" in plan, plan
    if engine.dialect.name == "sqlite":
        assert "TEMP B-TREE" not in plan, plan


