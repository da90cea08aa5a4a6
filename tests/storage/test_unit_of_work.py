"""The SQL unit of work commits all or nothing, and units of work run side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person

NewUow = Callable[[], SqlUnitOfWork]


class Boom(Exception):
    """Raised inside a unit of work to abandon it."""


async def test_uncommitted_work_is_rolled_back_on_exit(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person())
        await uow.updates.claim(1, T0)
    async with new_uow() as uow:
        assert await uow.people.get(1001) is None
        assert not await uow.updates.seen(1)


async def test_work_is_rolled_back_on_exception(new_uow: NewUow) -> None:
    with pytest.raises(Boom):
        async with new_uow() as uow:
            await uow.people.add(make_person())
            raise Boom
    async with new_uow() as uow:
        assert await uow.people.get(1001) is None


async def test_explicit_rollback_then_commit(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(1))
        await uow.rollback()
        await uow.people.add(make_person(2))
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.people.get(1) is None
        assert await uow.people.get(2) is not None


async def test_work_after_commit_is_rolled_back_on_exit(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(1))
        await uow.commit()
        await uow.people.add(make_person(2))
    async with new_uow() as uow:
        assert await uow.people.get(1) is not None
        assert await uow.people.get(2) is None


async def test_a_unit_of_work_is_reusable_but_not_reentrant(new_uow: NewUow) -> None:
    uow = new_uow()
    async with uow:
        await uow.people.add(make_person(1))
        await uow.commit()
        with pytest.raises(RuntimeError, match="already in use"):
            await uow.__aenter__()
    async with uow:
        assert await uow.people.get(1) is not None
    with pytest.raises(RuntimeError, match="async with"):
        await uow.commit()


async def test_concurrent_units_of_work_on_different_people_both_commit(
    new_uow: NewUow,
) -> None:
    async def onboard(telegram_user_id: int) -> None:
        async with new_uow() as uow:
            assert await uow.people.get(telegram_user_id) is None
            await asyncio.sleep(0)  # let the other unit of work interleave
            await uow.people.add(make_person(telegram_user_id))
            await uow.commit()

    async def advance(telegram_user_id: int) -> None:
        async with new_uow() as uow:
            person = await uow.people.get(telegram_user_id)
            assert person is not None
            await asyncio.sleep(0)
            person.conversation.revision += 1
            await uow.people.save(person)
            await uow.updates.claim(telegram_user_id, T0)
            await uow.commit()

    await asyncio.gather(onboard(1), onboard(2))
    await asyncio.gather(advance(1), advance(2))
    async with new_uow() as uow:
        for telegram_user_id in (1, 2):
            person = await uow.people.get(telegram_user_id)
            assert person is not None and person.conversation.revision == 8
            assert await uow.updates.seen(telegram_user_id)


async def test_concurrent_changes_to_one_person_are_not_lost(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person())
        await uow.commit()
    first_loaded = asyncio.Event()

    async def change(state: str, *, first: bool) -> None:
        if not first:
            await first_loaded.wait()
        async with new_uow() as uow:
            # The second get waits here until the first unit of work commits.
            person = await uow.people.get(1001)
            assert person is not None
            if first:
                first_loaded.set()
                await asyncio.sleep(0.2)
            person.conversation.data.setdefault("states", []).append(state)
            await uow.people.save(person)
            await uow.commit()

    await asyncio.gather(change("a", first=True), change("b", first=False))
    async with new_uow() as uow:
        person = await uow.people.get(1001)
    assert person is not None
    assert person.conversation.data["states"] == ["a", "b"]


async def test_the_update_log_forgets_old_ids_only(new_uow: NewUow) -> None:
    from datetime import UTC, datetime, timedelta

    old, recent = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)
    async with new_uow() as uow:
        await uow.updates.claim(1, old)
        await uow.updates.claim(2, recent)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.updates.prune(recent - timedelta(days=7)) == 1
        await uow.commit()
    async with new_uow() as uow:
        assert not await uow.updates.seen(1)
        assert await uow.updates.seen(2)
