"""The outbox on SQLite and PostgreSQL: due messages are taken once, put off while taken,
tried again later from where they stopped, and gone with their person."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person

NewUow = Callable[[], SqlUnitOfWork]
LATER = T0 + timedelta(minutes=1)


async def owed_to(new_uow: NewUow, telegram_user_id: int, count: int) -> list[int]:
    """A person owed `count` messages, due at T0."""
    async with new_uow() as uow:
        person = make_person(telegram_user_id)
        await uow.people.add(person)
        await uow.people.save(person)
        assert person.id is not None
        ids = [await uow.outbox.add(person.id, f'{{"n": {n}}}', T0, T0) for n in range(count)]
        await uow.commit()
    return ids


async def take(new_uow: NewUow, now: datetime = T0, limit: int = 100) -> list[int]:
    async with new_uow() as uow:
        owed = await uow.outbox.take_due(now, LATER, limit)
        await uow.commit()
    return [item.id for item in owed]


async def test_a_due_message_is_taken_once_until_its_lease_ends(new_uow: NewUow) -> None:
    ids = await owed_to(new_uow, 1, 2)
    async with new_uow() as uow:
        owed = await uow.outbox.take_due(T0, LATER)
        await uow.commit()
    chat = make_person(1).chat_id
    assert [(m.id, m.telegram_user_id, m.chat_id, m.replies, m.done, m.attempts)
            for m in owed] == [(ids[0], 1, chat, '{"n": 0}', 0, 0),
                               (ids[1], 1, chat, '{"n": 1}', 0, 0)]
    assert await take(new_uow) == []  # taken: put off until LATER
    assert await take(new_uow, LATER) == ids  # the taker died: anyone may take them now


async def test_a_retry_counts_the_try_and_remembers_how_far_it_got(new_uow: NewUow) -> None:
    (owed,) = await owed_to(new_uow, 2, 1)
    await take(new_uow)
    async with new_uow() as uow:
        await uow.outbox.retry(owed, done=1, due_at=T0 + timedelta(seconds=2))
        await uow.commit()
    assert await take(new_uow, T0 + timedelta(seconds=1)) == []
    async with new_uow() as uow:
        (again,) = await uow.outbox.take_due(T0 + timedelta(seconds=2), LATER)
        await uow.outbox.remove(again.id)
        await uow.commit()
    assert (again.done, again.attempts) == (1, 1)
    assert await take(new_uow, LATER) == []


async def test_two_takers_at_once_never_take_the_same_message(new_uow: NewUow) -> None:
    await owed_to(new_uow, 3, 20)
    first, second = await asyncio.gather(take(new_uow, limit=12), take(new_uow, limit=12))
    assert not set(first) & set(second)
    assert len(first) + len(second) == 20


async def test_a_forgotten_person_is_owed_nothing(new_uow: NewUow) -> None:
    await owed_to(new_uow, 4, 2)
    async with new_uow() as uow:
        assert await uow.people.delete_person(4)
        await uow.commit()
    assert await take(new_uow, LATER) == []
