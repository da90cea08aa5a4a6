"""Program links on SQLite and PostgreSQL: stored by hash only, found while usable, taken
once when single-use (also by two people at the same moment), counted when many-use, and
refused once expired."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.model import ProviderProgram
from bot.domain.program.links import Uses, code_hash, new_code, new_link
from storage.models import ProgramLinkRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0

NewUow = Callable[[], SqlUnitOfWork]
PROGRAM = ProviderProgram({"bird_dog": {"sets": 3}, "cat_camel": {}}, "Gently", None)


async def stored_link(new_uow: NewUow, uses: Uses, days: int = 30) -> str:
    link = new_link(PROGRAM, uses, T0, days)
    async with new_uow() as uow:
        await uow.links.add(link)
        await uow.commit()
    return link.hash


async def test_only_the_hash_is_stored(new_uow: NewUow, engine: AsyncEngine) -> None:
    link = new_link(PROGRAM, "single", T0, 30)
    async with new_uow() as uow:
        await uow.links.add(link)
        await uow.commit()
    async with engine.connect() as connection:
        rows = (await connection.execute(select(ProgramLinkRow))).all()
    (row,) = rows
    assert row.code_hash == code_hash(link.code) and len(row.code_hash) == 64
    assert link.code not in repr(tuple(row))  # the code itself is nowhere in the row
    assert row.uses == 0 and row.single_use
    assert row.expires_at == T0 + timedelta(days=30)


async def test_a_single_use_link_is_taken_once(new_uow: NewUow) -> None:
    hashed = await stored_link(new_uow, "single")
    async with new_uow() as uow:
        assert await uow.links.find(hashed, T0) == PROGRAM  # looking does not use it
        assert await uow.links.find(hashed, T0) == PROGRAM
        assert await uow.links.take(hashed, T0) == PROGRAM
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.links.find(hashed, T0) is None
        assert await uow.links.take(hashed, T0) is None
        await uow.commit()


async def test_a_rolled_back_take_leaves_the_link_usable(new_uow: NewUow) -> None:
    hashed = await stored_link(new_uow, "single")
    async with new_uow() as uow:
        assert await uow.links.take(hashed, T0) == PROGRAM  # the update failed: no commit
    async with new_uow() as uow:
        assert await uow.links.take(hashed, T0) == PROGRAM


async def test_a_many_use_link_counts_its_uses(new_uow: NewUow, engine: AsyncEngine) -> None:
    hashed = await stored_link(new_uow, "many")
    for _ in range(3):
        async with new_uow() as uow:
            assert await uow.links.take(hashed, T0) == PROGRAM
            await uow.commit()
    async with engine.connect() as connection:
        uses = (await connection.execute(select(ProgramLinkRow.uses))).scalar_one()
    assert uses == 3


async def test_an_expired_or_unknown_link_is_never_found(new_uow: NewUow) -> None:
    hashed = await stored_link(new_uow, "many", days=30)
    end = T0 + timedelta(days=30)
    async with new_uow() as uow:
        assert await uow.links.find(hashed, end - timedelta(seconds=1)) == PROGRAM
        assert await uow.links.find(hashed, end) is None
        assert await uow.links.take(hashed, end + timedelta(days=1)) is None
        assert await uow.links.find(code_hash(new_code()), T0) is None


async def test_two_people_taking_a_single_use_link_at_once_one_gets_it(
        new_uow: NewUow) -> None:
    hashed = await stored_link(new_uow, "single")
    async def take() -> ProviderProgram | None:
        async with new_uow() as uow:
            taken = await uow.links.take(hashed, T0)
            await asyncio.sleep(0.05)  # hold the transaction open while the other tries
            await uow.commit()
            return taken

    results = await asyncio.gather(take(), take())
    assert sorted(r is not None for r in results) == [False, True]


async def test_a_stored_link_is_found_for_its_handout_until_it_expires(
        new_uow: NewUow) -> None:
    hashed = await stored_link(new_uow, "single", days=2)
    async with new_uow() as uow:
        assert await uow.links.take(hashed, T0) == PROGRAM
        await uow.commit()
    async with new_uow() as uow:
        stored = await uow.links.stored(hashed, T0)  # used already: its handout still comes
        assert stored is not None and stored.program == PROGRAM and stored.uses == "single"
        assert stored.expires_at == T0 + timedelta(days=2) and stored.created_at == T0
        assert await uow.links.stored(hashed, T0 + timedelta(days=2)) is None
        assert await uow.links.stored(code_hash(new_code()), T0) is None


async def test_links_expired_longer_than_the_history_is_kept_are_pruned(
        new_uow: NewUow) -> None:
    old = await stored_link(new_uow, "many", days=10)
    recent = await stored_link(new_uow, "many", days=400)
    async with new_uow() as uow:
        assert await uow.retention.drop_history(T0 + timedelta(days=365), 100) == 1
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.links.stored(old, T0) is None
        assert await uow.links.stored(recent, T0) is not None
