"""Program changes (/program) on SQLite and PostgreSQL: appended on save with their date,
read back oldest first, only the person's own, and gone with /forget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.domain.model import ProgramChange
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import BERLIN_SUMMER, T0, make_person

NewUow = Callable[[], SqlUnitOfWork]


async def test_changes_are_appended_in_order_and_kept_with_the_program(
        new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(1))
        await uow.people.add(make_person(2))
        await uow.commit()
    later = T0 + timedelta(days=3)
    async with new_uow() as uow:
        person = await uow.people.get(1)
        assert person is not None
        person.program["wall_angel"].enabled = True
        person.country_code = "PT"
        person.new_program_changes = [
            ProgramChange(later, "exercises", "chin_tuck", "chin_tuck,wall_angel"),
            ProgramChange(later, "country", "DE", "PT"),
        ]
        await uow.people.save(person)
        assert person.new_program_changes == []  # appended once, then emptied
        await uow.people.save(person)  # a second save adds nothing
        await uow.commit()
    async with new_uow() as uow:
        person = await uow.people.get(1)
        assert person is not None
        # Given in UTC+2: it must come back as the same instant, in UTC.
        at = (T0 + timedelta(days=1)).astimezone(BERLIN_SUMMER)
        person.new_program_changes = [
            ProgramChange(at, "dose", "5", "8", "chin_tuck", "hold_seconds"),
            ProgramChange(T0 + timedelta(days=5), "country", "PT", None)]
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        changes = await uow.people.program_history(1)
        assert changes == [
            ProgramChange(T0 + timedelta(days=1), "dose", "5", "8", "chin_tuck", "hold_seconds"),
            ProgramChange(later, "exercises", "chin_tuck", "chin_tuck,wall_angel"),
            ProgramChange(later, "country", "DE", "PT"),
            ProgramChange(T0 + timedelta(days=5), "country", "PT", None),
        ]
        assert all(c.at.utcoffset() == timedelta(0) for c in changes)
        assert await uow.people.program_history(2) == []  # only the person's own
        assert await uow.people.program_history(404) == []  # unknown: none
        person = await uow.people.get(1)
        assert person is not None and person.program["wall_angel"].enabled
        assert person.country_code == "PT"
        assert await uow.people.delete_person(1)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.people.program_history(1) == []
