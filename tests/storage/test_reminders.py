"""Reminder settings, a person's reminders and appointment, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.model import Appointment, Person, Reminder, ReminderSettings
from storage.models import AppointmentRow, PersonRow, ReminderRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import BERLIN_SUMMER, T0, make_person, make_settings

NewUow = Callable[[], SqlUnitOfWork]
Factory = async_sessionmaker[AsyncSession]


async def _reminder_rows(engine: AsyncEngine) -> list[ReminderRow]:
    async with engine.connect() as connection:
        result = await connection.execute(select(ReminderRow).order_by(ReminderRow.id))
        return [ReminderRow(**row._asdict()) for row in result]


async def _appointment_rows(engine: AsyncEngine) -> list[AppointmentRow]:
    async with engine.connect() as connection:
        result = await connection.execute(select(AppointmentRow).order_by(AppointmentRow.id))
        return [AppointmentRow(**row._asdict()) for row in result]


async def _add(new_uow: NewUow, person: Person) -> None:
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()


async def _get(new_uow: NewUow, telegram_user_id: int = 1001) -> Person:
    async with new_uow() as uow:
        person = await uow.people.get(telegram_user_id)
    assert person is not None
    return person


def _id(reminder: Reminder) -> int:
    assert reminder.id is not None
    return reminder.id


def _utc(moment: datetime) -> datetime:
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    return moment


async def test_settings_round_trip(new_uow: NewUow, engine: AsyncEngine) -> None:
    person = make_person(reminder_settings=make_settings(), inactive=True)
    await _add(new_uow, person)
    assert await _get(new_uow) == person

    async with engine.connect() as connection:
        columns = (
            PersonRow.reminder_time_zone, PersonRow.reminder_session_time,
            PersonRow.reminder_days, PersonRow.reminders_paused, PersonRow.quiet_start,
            PersonRow.quiet_end, PersonRow.checkin_time, PersonRow.inactive,
        )
        row = (await connection.execute(select(*columns))).one()
    assert tuple(row) == (
        "America/Argentina/ComodRivadavia", "07:30", "4,0,2", True, "22:00", "06:45",
        "19:05", True,
    )

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None
        loaded.reminder_settings = ReminderSettings(
            time_zone="UTC+05:30", session_time=time(0, 0), days=(), quiet_end=time(23, 59)
        )
        loaded.inactive = False
        await uow.people.save(loaded)
        await uow.commit()
    assert await _get(new_uow) == loaded


async def test_a_new_person_has_the_default_settings(new_uow: NewUow) -> None:
    await _add(new_uow, make_person())
    person = await _get(new_uow)
    assert person.reminder_settings == ReminderSettings()
    assert person.reminder_settings.days == (0, 1, 2, 3, 4, 5, 6)
    assert (person.inactive, person.reminders, person.appointment) == (False, [], None)


@pytest.mark.parametrize(
    "changes",
    [
        {"reminder_settings": make_settings(session_time=time(7, 30, 15))},
        {"reminder_settings": make_settings(quiet_start=time(7, 30, tzinfo=UTC))},
        {"reminder_settings": make_settings(days=(0, 7))},
        {"reminder_settings": make_settings(days=(1, 1))},
        {"reminder_settings": make_settings(time_zone="x" * 41)},
        # Values their types refuse too: storage must refuse them when they come anyway.
        {"reminders": [Reminder("session", T0, status="claimed")]},  # type: ignore[arg-type]
        {"reminders": [Reminder("k" * 25, T0)]},  # type: ignore[arg-type]
        {"reminders": [Reminder("session", datetime(2025, 1, 1))]},
        {"appointment": Appointment(T0, "x" * 201)},
        {"appointment": Appointment(datetime(2025, 1, 1), "Dr. Weiß")},
    ],
    ids=["seconds", "zoned-time", "day-7", "twice", "long-zone", "claimed", "long-kind",
         "naive-fire", "long-with-whom", "naive-at"],
)
async def test_what_cannot_be_stored_faithfully_is_refused(
    new_uow: NewUow, changes: dict[str, object]
) -> None:
    async with new_uow() as uow:
        with pytest.raises(ValueError):
            await uow.people.add(make_person(1001, **changes))
    await _add(new_uow, make_person())
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None
        for name, value in changes.items():
            setattr(person, name, value)
        with pytest.raises(ValueError):
            await uow.people.save(person)


async def test_reminders_are_inserted_updated_and_cancelled_by_removal(
    session_factory: Factory, engine: AsyncEngine
) -> None:
    clock_now = T0 + timedelta(days=3)
    session_at = T0 + timedelta(days=1)
    # Given in UTC+2 on purpose: ordered and stored by instant.
    checkin_at = (T0 + timedelta(hours=20)).astimezone(BERLIN_SUMMER)
    nudge_at = T0 + timedelta(days=2)
    person = make_person(
        reminders=[Reminder("session", session_at), Reminder("checkin", checkin_at),
                   Reminder("session_nudge", nudge_at)],
    )
    async with SqlUnitOfWork(session_factory, clock=lambda: clock_now) as uow:
        await uow.people.add(person)
        await uow.commit()
    session_id, checkin_id, nudge_id = (_id(r) for r in person.reminders)

    async with SqlUnitOfWork(session_factory, clock=lambda: clock_now) as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None
        # Earliest first, in UTC.
        assert [(r.id, r.kind, _utc(r.fire_at), r.status) for r in loaded.reminders] == [
            (checkin_id, "checkin", T0 + timedelta(hours=20), "pending"),
            (session_id, "session", session_at, "pending"),
            (nudge_id, "session_nudge", nudge_at, "pending"),
        ]
        checkin, session, _nudge = loaded.reminders
        checkin.status = "sent"
        session.fire_at = session_at + timedelta(minutes=15)
        snooze = Reminder("session_snooze", T0 + timedelta(hours=1))
        loaded.reminders = [checkin, session, snooze]  # the nudge is dropped
        await uow.people.save(loaded)
        snooze_id = _id(snooze)
        # Saving again changes nothing: the sent one is no longer pending.
        await uow.people.save(loaded)
        await uow.commit()

    rows = {row.id: row for row in await _reminder_rows(engine)}
    assert len(rows) == 4
    assert (rows[checkin_id].status, rows[checkin_id].sent_at) == ("sent", clock_now)
    assert rows[session_id].status == "pending"
    assert rows[nudge_id].status == "cancelled"  # kept for the audit trail
    assert rows[snooze_id].status == "pending"

    reloaded = await _get(new_uow=lambda: SqlUnitOfWork(session_factory))
    assert reloaded.reminders == [
        Reminder("session_snooze", T0 + timedelta(hours=1), snooze.id),
        Reminder("session", session_at + timedelta(minutes=15), session_id),
    ]
    async with SqlUnitOfWork(session_factory) as uow:
        # The person's own export: every row, whatever became of it, by fire time.
        history = await uow.people.reminder_history(1001)
        assert await uow.people.reminder_history(424242) == []
    assert [(r.kind, _utc(r.fire_at), r.status, r.sent_at) for r in history] == [
        ("session_snooze", T0 + timedelta(hours=1), "pending", None),
        ("checkin", T0 + timedelta(hours=20), "sent", clock_now),
        ("session", session_at + timedelta(minutes=15), "pending", None),
        ("session_nudge", nudge_at, "cancelled", None),
    ]


async def test_dropping_every_reminder_cancels_them_all(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    await _add(new_uow, make_person(reminders=[Reminder("session", T0),
                                               Reminder("checkin", T0)]))
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None and len(person.reminders) == 2
        person.reminders.clear()
        await uow.people.save(person)
        await uow.commit()
    assert [row.status for row in await _reminder_rows(engine)] == ["cancelled"] * 2
    assert (await _get(new_uow)).reminders == []


async def test_reminders_of_others_cannot_be_saved(new_uow: NewUow) -> None:
    await _add(new_uow, make_person(1, reminders=[Reminder("session", T0)]))
    await _add(new_uow, make_person(2))
    async with new_uow() as uow:
        first, second = await uow.people.get(1), await uow.people.get(2)
        assert first is not None and second is not None
        second.reminders = list(first.reminders)
        with pytest.raises(LookupError, match="reminder"):
            await uow.people.save(second)
    async with new_uow() as uow:
        second = await uow.people.get(2)
        assert second is not None
        second.reminders = [Reminder("session", T0, id=424242)]
        with pytest.raises(LookupError, match="reminder"):
            await uow.people.save(second)


async def test_a_claimed_reminder_is_left_to_the_queue(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    await _add(new_uow, make_person(reminders=[Reminder("session", T0)]))
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None
        (loaded,) = person.reminders
        # Claimed after the person was loaded (on PostgreSQL only the same transaction can:
        # the loaded rows are locked against other claims).
        (claimed,) = await uow.reminders.claim_due(T0, "w")
        assert claimed.id == loaded.id
        loaded.fire_at = T0 + timedelta(days=1)
        await uow.people.save(person)
        person.reminders.clear()  # nor is it cancelled
        await uow.people.save(person)
        await uow.commit()
    (row,) = await _reminder_rows(engine)
    assert (row.status, row.claimed_by) == ("claimed", "w")
    assert row.fire_at.replace(tzinfo=UTC) == T0
    assert (await _get(new_uow)).reminders == []


async def test_appointment_is_set_changed_replaced_and_cleared(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    at = datetime(2025, 4, 2, 10, 30, tzinfo=BERLIN_SUMMER)
    person = make_person(appointment=Appointment(at, "Dr. Weiß, Physiotherapie 🩺 — 背中"))
    await _add(new_uow, person)
    assert person.appointment is not None and person.appointment.id is not None
    first_id = person.appointment.id

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded == person
        assert loaded is not None and loaded.appointment is not None
        assert _utc(loaded.appointment.at) == datetime(2025, 4, 2, 8, 30, tzinfo=UTC)
        loaded.appointment.at += timedelta(days=1)
        loaded.appointment.with_whom = "x" * 200
        await uow.people.save(loaded)
        await uow.commit()
    changed = await _get(new_uow)
    assert changed.appointment == Appointment(at + timedelta(days=1), "x" * 200, first_id)

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None
        replacement = Appointment(at + timedelta(days=30), "Dr. Kim")
        loaded.appointment = replacement
        await uow.people.save(loaded)
        # Saving again updates the new one in place.
        await uow.people.save(loaded)
        await uow.commit()
    assert replacement.id is not None and replacement.id != first_id
    assert (await _get(new_uow)).appointment == replacement
    assert [row.id for row in await _appointment_rows(engine)] == [replacement.id]

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None
        loaded.appointment = None
        await uow.people.save(loaded)
        await uow.commit()
    assert (await _get(new_uow)).appointment is None
    assert await _appointment_rows(engine) == []


async def test_an_appointment_of_someone_else_cannot_be_saved(new_uow: NewUow) -> None:
    await _add(new_uow, make_person(1, appointment=Appointment(T0, "Dr. Weiß")))
    await _add(new_uow, make_person(2))
    async with new_uow() as uow:
        first, second = await uow.people.get(1), await uow.people.get(2)
        assert first is not None and second is not None and first.appointment is not None
        second.appointment = dataclasses.replace(first.appointment)
        with pytest.raises(LookupError, match="appointment"):
            await uow.people.save(second)


async def test_mark_inactive_sets_only_the_flag(new_uow: NewUow) -> None:
    person = make_person(reminders=[Reminder("session", T0)])
    await _add(new_uow, person)
    async with new_uow() as uow:
        await uow.people.mark_inactive(1001, True)
        await uow.people.mark_inactive(424242, True)  # unknown: nothing happens
        await uow.commit()
    loaded = await _get(new_uow)
    assert loaded == dataclasses.replace(person, inactive=True)

    async with new_uow() as uow:
        # In a unit of work that has the person loaded, a later get sees the change.
        assert (await uow.people.get(1001)) == loaded
        await uow.people.mark_inactive(1001, False)
        again = await uow.people.get(1001)
        assert again is not None and again.inactive is False
        await uow.commit()
    assert (await _get(new_uow)).inactive is False


async def test_loading_a_persons_reminders_uses_the_person_index(engine: AsyncEngine) -> None:
    """Every update loads the person's pending reminders: it must not scan everyone's."""
    from storage.queries import PENDING_REMINDERS
    from tests.storage.helpers import query_plan

    rendered = await query_plan(engine, PENDING_REMINDERS.params(person_id=1))
    assert "ix_reminders_person_id" in rendered, rendered
    assert "ix_reminders_status_fire_at" not in rendered, rendered
