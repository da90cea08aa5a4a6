"""The person's allowance (daily counts, document times, live buttons) is stored with them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.domain.model import Allowance
from storage.models import PersonRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person

NewUow = Callable[[], SqlUnitOfWork]


async def test_allowance_round_trips_and_changes(new_uow: NewUow) -> None:
    person = make_person()
    person.allowance = Allowance(T0.date(), {"pain": 4, "snooze": 6},
                                 {"export": T0 + timedelta(minutes=3)}, {"session_reminder": 9})
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(person.telegram_user_id)
        assert loaded is not None and loaded.allowance == person.allowance
        loaded.allowance.counts["pain"] = 5
        loaded.allowance.live.pop("session_reminder")
        await uow.people.save(loaded)
        await uow.commit()
    async with new_uow() as uow:
        again = await uow.people.get(person.telegram_user_id)
    assert again is not None
    assert again.allowance.counts == {"pain": 5, "snooze": 6}
    assert again.allowance.live == {}
    assert again.allowance.sent["export"] == T0 + timedelta(minutes=3)


async def test_a_row_from_before_the_column_reads_as_an_empty_allowance(new_uow: NewUow) -> None:
    person = make_person()
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    async with new_uow() as uow:
        row = (await uow.session.execute(select(PersonRow).where(
            PersonRow.telegram_user_id == person.telegram_user_id))).scalar_one()
        row.allowance = None
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(person.telegram_user_id)
    assert loaded is not None and loaded.allowance == Allowance()
