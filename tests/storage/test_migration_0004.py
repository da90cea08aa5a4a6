"""Migration 0004 (reminder settings, reminders, appointments) keeps data both ways."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from sqlalchemy import insert, text

from bot.domain.model import Appointment, FollowUp, Reminder, ReminderSettings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.models import Base
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import (
    T0,
    make_person,
    make_question,
    make_rating,
    make_session,
    make_settings,
    make_triage_record,
)
from tests.storage.migration_helpers import (
    downgrade_to,
    people_schema_and_counts,
    schema_differences,
    stamped_revisions,
    upgrade_to,
)

TABLES = Base.metadata.tables
PERSONAL_0003 = (
    "people",
    "prescriptions",
    "conversations",
    "sessions",
    "pain_ratings",
    "triage_decisions",
    "questions",
)
TABLES_0003 = {*PERSONAL_0003, "processed_updates", "alembic_version"}
NEW_PEOPLE_COLUMNS = {
    "reminder_time_zone",
    "reminder_session_time",
    "reminder_days",
    "reminders_paused",
    "quiet_start",
    "quiet_end",
    "checkin_time",
    "inactive",
}


async def test_upgrade_from_0003_keeps_data(empty_database_url: str) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_to, url, "0003")
    engine = make_engine(url)
    try:
        # Only columns that exist at 0003 (core inserts name just the given ones).
        async with engine.begin() as connection:
            await connection.execute(
                insert(TABLES["people"]).values(
                    id=1,
                    telegram_user_id=42,
                    chat_id=5_000_000_042,
                    language="de",
                    created_at=T0,
                    guided_holds=True,
                    follow_up_due_at=T0,
                    follow_up_level="urgent",
                )
            )
        await asyncio.to_thread(upgrade_to_head, url)

        factory = make_session_factory(engine)
        async with SqlUnitOfWork(factory) as uow:
            person = await uow.people.get(42)
            assert person is not None
            # Existing people: no reminders, every day, not paused, active.
            assert person.reminder_settings == ReminderSettings()
            assert (person.inactive, person.reminders, person.appointment) == (False, [], None)
            assert await uow.reminders.claim_due(T0 + timedelta(days=365), "w") == []
            assert (person.id, person.guided_holds) == (1, True)
            assert person.follow_up == FollowUp(T0, "urgent", None)
            # The new columns and tables take data.
            person.reminder_settings = make_settings()
            person.inactive = True
            person.reminders.append(Reminder("session", T0))
            person.appointment = Appointment(T0 + timedelta(days=3), "Dr. Weiß")
            await uow.people.save(person)
            await uow.commit()
        async with SqlUnitOfWork(factory) as uow:
            assert await uow.people.get(42) == person
    finally:
        await engine.dispose()


async def test_ids_are_never_reused(migrated_database_url: str) -> None:
    engine = make_engine(migrated_database_url)
    try:
        if engine.dialect.name == "sqlite":
            async with engine.connect() as connection:
                rows = await connection.execute(
                    text("SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'")
                )
                assert set(rows.scalars()) == {"reminders", "appointments"}
        factory = make_session_factory(engine)
        async with SqlUnitOfWork(factory) as uow:
            person = make_person(appointment=Appointment(T0, "Dr. Weiß"))
            await uow.people.add(person)
            assert person.appointment is not None
            first = person.appointment.id
            person.appointment = Appointment(T0, "Dr. Weiß")  # the latest id, deleted
            await uow.people.save(person)
            await uow.commit()
        assert person.appointment.id is not None and first is not None
        assert person.appointment.id > first
    finally:
        await engine.dispose()


async def test_downgrade_to_0003_and_back(migrated_database_url: str) -> None:
    url = migrated_database_url
    engine = make_engine(url)
    try:
        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            person = make_person(
                session=make_session(),
                new_pain_ratings=[make_rating(T0)],
                follow_up=FollowUp(T0, "call_doctor", "numb_arms"),
                new_triage_records=[make_triage_record(T0)],
                questions=[make_question(T0)],
                reminder_settings=make_settings(),
                inactive=True,
                reminders=[Reminder("session", T0), Reminder("checkin", T0)],
                appointment=Appointment(T0, "Dr. Weiß"),
            )
            await uow.people.add(person)
            await uow.commit()
    finally:
        await engine.dispose()

    await asyncio.to_thread(downgrade_to, url, "0003")
    assert await stamped_revisions(url) == ["0003"]
    tables, columns, indexes, counts = await people_schema_and_counts(url, PERSONAL_0003)
    assert tables == TABLES_0003
    assert not NEW_PEOPLE_COLUMNS & columns
    assert {"follow_up_due_at", "guided_holds"} <= columns
    assert "ix_people_follow_up_due_at" in indexes
    # Rebuilding `people` on SQLite must not cascade into its children.
    assert counts == [1, 2, 1, 1, 1, 1, 1]

    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_differences) == []
        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            reloaded = await uow.people.get(1001)
    finally:
        await engine.dispose()
    # Everything but what 0004 added is back as it was.
    assert reloaded == dataclasses.replace(
        person,
        reminder_settings=ReminderSettings(),
        inactive=False,
        reminders=[],
        appointment=None,
    )
