"""Migration 0003 (follow-ups, triage decisions, questions) keeps data both ways."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from sqlalchemy import insert

from bot.domain.model import FollowUp
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.models import Base
from storage.repositories import SqlPeopleRepository
from storage.session_mapping import progress_document
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import (
    T0,
    make_person,
    make_question,
    make_rating,
    make_session,
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
PERSONAL_0002 = ("people", "prescriptions", "conversations", "sessions", "pain_ratings")
TABLES_0002 = {*PERSONAL_0002, "processed_updates", "alembic_version"}
FOLLOW_UP_COLUMNS = {"follow_up_due_at", "follow_up_level", "follow_up_rule"}


async def test_upgrade_from_0002_keeps_data(empty_database_url: str) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_to, url, "0002")
    session = make_session()
    rating = make_rating(T0 + timedelta(hours=1, minutes=2), 5)
    engine = make_engine(url)
    try:
        # Only columns that exist at 0002 (core inserts name just the given ones).
        async with engine.begin() as connection:
            await connection.execute(
                insert(TABLES["people"]).values(
                    id=1,
                    telegram_user_id=42,
                    chat_id=5_000_000_042,
                    language="de",
                    created_at=T0,
                    first_session_at=session.started_at,
                    guided_holds=True,
                )
            )
            await connection.execute(
                insert(TABLES["sessions"]).values(
                    id=1,
                    person_id=1,
                    status="active",
                    started_at=session.started_at,
                    hold_deadline=None if session.hold is None else session.hold.deadline,
                    progress=progress_document(session),
                )
            )
            await connection.execute(
                insert(TABLES["pain_ratings"]).values(
                    person_id=1,
                    session_id=1,
                    at=rating.at,
                    rating=rating.rating,
                    moment=rating.moment,
                    location=rating.where,
                    exercise_id=rating.exercise_id,
                )
            )
        await asyncio.to_thread(upgrade_to_head, url)

        factory = make_session_factory(engine)
        now = T0 + timedelta(days=1)
        async with SqlUnitOfWork(factory, clock=lambda: now) as uow:
            person = await uow.people.get(42)
            assert person is not None
            assert await uow.follow_ups.people_due(now + timedelta(days=365)) == []
            assert isinstance(uow.people, SqlPeopleRepository)
            assert await uow.people.triage_history(42) == []
            assert await uow.people.questions(42) == []
            # The new tables and columns take data.
            person.follow_up = FollowUp(now, "urgent", None)
            person.new_triage_records.append(make_triage_record(now))
            person.questions.append(make_question(now))
            await uow.people.save(person)
            await uow.commit()
        async with SqlUnitOfWork(factory, clock=lambda: now) as uow:
            assert await uow.follow_ups.people_due(now) == [42]
            assert isinstance(uow.people, SqlPeopleRepository)
            assert len(await uow.people.triage_history(42)) == 1
            assert len(await uow.people.questions(42)) == 1
    finally:
        await engine.dispose()

    assert (person.id, person.chat_id, person.guided_holds) == (1, 5_000_000_042, True)
    assert person.first_session_at == session.started_at
    assert person.session == dataclasses.replace(session, id=1)
    assert person.recent_pain == [rating]


async def test_downgrade_to_0002_and_back(migrated_database_url: str) -> None:
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
            )
            await uow.people.add(person)
            await uow.commit()
    finally:
        await engine.dispose()

    await asyncio.to_thread(downgrade_to, url, "0002")
    assert await stamped_revisions(url) == ["0002"]
    tables, columns, indexes, counts = await people_schema_and_counts(url, PERSONAL_0002)
    assert tables == TABLES_0002
    assert not FOLLOW_UP_COLUMNS & columns
    assert {"first_session_at", "guided_holds"} <= columns
    assert "ix_people_follow_up_due_at" not in indexes
    # Rebuilding `people` on SQLite must not cascade into its children.
    assert counts == [1, 2, 1, 1, 1]

    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_differences) == []
        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            reloaded = await uow.people.get(1001)
            assert isinstance(uow.people, SqlPeopleRepository)
            assert await uow.people.triage_history(1001) == []
            assert await uow.people.questions(1001) == []
            assert len(await uow.people.pain_history(1001)) == 1
    finally:
        await engine.dispose()
    # Everything but what 0003 added is back as it was.
    assert reloaded == dataclasses.replace(person, follow_up=None, questions=[])
