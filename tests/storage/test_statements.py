"""What the hot path asks of the database: every update loads and saves one person, so
save() must write what changed without reading again what get() read in the same
transaction (the load benchmark found a third of the statements were such re-reads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.model import Appointment, Reminder
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person, make_question, make_rating, make_session

Factory = async_sessionmaker[AsyncSession]


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block, first word upper-cased."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _stored_person(factory: Factory) -> None:
    person = make_person(
        questions=[make_question(T0, "first?"), make_question(T0 + timedelta(minutes=1),
                                                                "second?")],
        reminders=[Reminder("session", T0 + timedelta(days=1)),
                   Reminder("checkin", T0 + timedelta(days=2))],
        appointment=Appointment(T0 + timedelta(days=5), "Dr. Ana"))
    person.session = make_session()
    async with SqlUnitOfWork(factory, clock=lambda: T0) as uow:
        await uow.people.add(person)
        await uow.commit()


async def test_save_after_get_reads_nothing_again_and_writes_every_change(
        session_factory: Factory, engine: AsyncEngine) -> None:
    await _stored_person(session_factory)
    async with SqlUnitOfWork(session_factory, clock=lambda: T0) as uow:
        person = await uow.people.get(1001)
        assert person is not None and person.appointment is not None
        first, _dropped = person.questions
        first.text = "first, reworded?"
        person.questions = [first, make_question(T0 + timedelta(minutes=2), "third?")]
        person.reminders = [person.reminders[0], Reminder("checkin", T0 + timedelta(days=3))]
        person.appointment.with_whom = "Dr. Ana Ruiz"
        person.new_pain_ratings.append(make_rating(T0 + timedelta(hours=2), 4))
        with statements(engine) as during_save:
            await uow.people.save(person)
        await uow.commit()
    assert "SELECT" not in during_save, during_save
    assert {"INSERT", "UPDATE", "DELETE"} <= set(during_save)

    async with SqlUnitOfWork(session_factory, clock=lambda: T0 + timedelta(hours=3)) as uow:
        again = await uow.people.get(1001)
    assert again is not None and again.appointment is not None
    assert [q.text for q in again.questions] == ["first, reworded?", "third?"]
    assert [(r.kind, r.fire_at) for r in again.reminders] == [
        ("session", T0 + timedelta(days=1)), ("checkin", T0 + timedelta(days=3))]
    assert again.appointment.with_whom == "Dr. Ana Ruiz"
    assert [r.rating for r in again.recent_pain] == [4]


async def test_a_second_save_in_one_transaction_reads_again(
        session_factory: Factory, engine: AsyncEngine) -> None:
    # What get() read is used once: the first save may have replaced rows (an appointment
    # without an id replaces the stored one), so the second must not trust it.
    await _stored_person(session_factory)
    async with SqlUnitOfWork(session_factory, clock=lambda: T0) as uow:
        person = await uow.people.get(1001)
        assert person is not None
        person.appointment = Appointment(T0 + timedelta(days=9), "Dr. Bo")
        await uow.people.save(person)
        person.appointment = Appointment(T0 + timedelta(days=10), "Dr. Cy")
        with statements(engine) as second:
            await uow.people.save(person)
        await uow.commit()
    assert "SELECT" in second
    async with SqlUnitOfWork(session_factory, clock=lambda: T0) as uow:
        again = await uow.people.get(1001)
    assert again is not None and again.appointment is not None
    assert again.appointment.with_whom == "Dr. Cy"


async def test_marking_answers_sent_is_one_statement_and_none_for_nothing(
        session_factory: Factory, engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(session_factory) as uow:
        for update_id in (1, 2, 3):
            assert await uow.updates.claim(update_id, T0)
            await uow.updates.keep_replies(update_id, "[]", 7)
        await uow.commit()
    async with SqlUnitOfWork(session_factory) as uow:
        with statements(engine) as marking:
            await uow.updates.mark_replied([1, 3], T0)
            await uow.updates.mark_replied([], T0)
        await uow.commit()
    assert marking.count("UPDATE") == 1
    async with SqlUnitOfWork(session_factory) as uow:
        assert [await uow.updates.unsent_replies(i) for i in (1, 2, 3)] == [None, "[]", None]
