"""Sessions, pain ratings and the hold schedule, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.model import (
    Appointment,
    Conversation,
    Cursor,
    FollowUp,
    Hold,
    PainRating,
    Person,
    PlannedExercise,
    Prescription,
    Question,
    Reminder,
    ReminderSettings,
    Session,
    ShareLink,
    TriageRecord,
)
from storage.models import PainRatingRow, SessionRow
from storage.repositories import SqlPeopleRepository
from storage.schedules import people_holding_query
from storage.session_mapping import progress_document, session_from_row
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import BERLIN_SUMMER, T0, make_person, make_rating, make_session

NewUow = Callable[[], SqlUnitOfWork]


def _people(uow: SqlUnitOfWork) -> SqlPeopleRepository:
    people = uow.people
    assert isinstance(people, SqlPeopleRepository)
    return people


async def _session_rows(engine: AsyncEngine) -> list[SessionRow]:
    async with engine.connect() as connection:
        result = await connection.execute(select(SessionRow).order_by(SessionRow.id))
        return [SessionRow(**row._asdict()) for row in result]


async def _rating_rows(engine: AsyncEngine) -> list[PainRatingRow]:
    async with engine.connect() as connection:
        result = await connection.execute(select(PainRatingRow).order_by(PainRatingRow.id))
        return [PainRatingRow(**row._asdict()) for row in result]


def _assert_utc(moment: datetime | None) -> None:
    assert moment is not None
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


async def test_session_round_trip(new_uow: NewUow, engine: AsyncEngine) -> None:
    session = make_session()
    person = make_person(
        first_session_at=datetime(2025, 3, 1, 11, 30, tzinfo=BERLIN_SUMMER),
        guided_holds=True,
        session=session,
    )
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    assert session.id is not None

    async with new_uow() as uow:
        loaded = await uow.people.get(person.telegram_user_id)

    assert loaded == person
    assert loaded is not None and loaded.session is not None
    assert loaded.session is not session
    assert loaded.first_session_at == datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    assert loaded.guided_holds is True
    assert loaded.new_pain_ratings == []
    hold = loaded.session.hold
    assert hold is not None
    for moment in (loaded.first_session_at, loaded.session.started_at, *_times(hold)):
        _assert_utc(moment)
    assert hold.started_at == T0 + timedelta(hours=1, minutes=5)

    (row,) = await _session_rows(engine)
    assert row.person_id == person.id
    assert row.hold_deadline is not None
    assert row.hold_deadline.replace(tzinfo=UTC) == hold.deadline
    # ISO strings in UTC with an explicit offset, not naive or local times.
    assert row.progress["hold"]["started_at"] == "2025-03-01T09:35:15.123456+00:00"


def _times(hold: Hold) -> tuple[datetime, ...]:
    return (hold.started_at, hold.deadline)


async def test_session_changes_are_saved(new_uow: NewUow, engine: AsyncEngine) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person())
        await uow.commit()

    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None and person.session is None
        person.session = make_session()
        person.first_session_at = person.session.started_at
        await uow.people.save(person)
        # A second change in the same unit of work updates the row just inserted.
        person.session.cursor = Cursor(exercise=2, round=3, side=0, step=-1)
        person.session.hold = None
        person.session.results["prone_y"] = "skipped"
        person.session.pain_after = 2
        person.session.advised = ["pain_worse", "call_doctor"]
        person.session.status = "paused"
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        reloaded = await uow.people.get(1001)
    assert reloaded == person
    (row,) = await _session_rows(engine)
    assert (row.status, row.hold_deadline) == ("paused", None)


async def test_an_unsaved_change_to_a_loaded_session_is_not_written(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(session=make_session()))
        await uow.commit()
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None and person.session is not None
        person.session.cursor.step = 99  # domain objects share nothing with the rows
        await uow.commit()
    async with new_uow() as uow:
        person = await uow.people.get(1001)
    assert person is not None and person.session is not None
    assert person.session.cursor.step == 4


async def test_pain_ratings_are_appended_and_linked(new_uow: NewUow, engine: AsyncEngine) -> None:
    before = make_rating(T0 + timedelta(hours=1), 4, moment="before", where=None, exercise_id=None)
    during = make_rating(T0 + timedelta(hours=1, minutes=7), 6)
    earlier = make_rating(T0 - timedelta(days=1), 2, moment="after", where="upper back")
    async with new_uow() as uow:
        person = make_person(new_pain_ratings=[earlier])
        await uow.people.add(person)
        assert person.new_pain_ratings == []

        person.session = make_session()
        person.new_pain_ratings += [before, during]
        await uow.people.save(person)
        assert person.new_pain_ratings == []
        # Saving again writes nothing twice.
        await uow.people.save(person)
        await uow.commit()
    session_id = person.session.id
    assert session_id is not None

    rows = await _rating_rows(engine)
    assert [(r.rating, r.session_id) for r in rows] == [(2, None), (4, session_id), (6, session_id)]
    assert {r.person_id for r in rows} == {person.id}

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None and loaded.new_pain_ratings == []
        history = await _people(uow).pain_history(1001)
        since = await _people(uow).pain_history(1001, since=before.at.astimezone(BERLIN_SUMMER))
        assert await _people(uow).pain_history(424242) == []
    # Oldest first, whatever the order they were given in.
    assert history == [earlier, before, during]
    assert since == [before, during]
    for rating in history:
        _assert_utc(rating.at)


async def test_finished_session_is_not_loaded_and_a_new_one_can_start(
    new_uow: NewUow, engine: AsyncEngine
) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(session=make_session()))
        await uow.commit()

    end = T0 + timedelta(hours=1, minutes=20)
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None and person.session is not None
        finished = person.session
        finished.status, finished.ended_at, finished.end_reason = "finished", end, "completed"
        finished.hold, finished.pain_after = None, 1
        person.new_pain_ratings.append(make_rating(end, 1, moment="after"))
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None and person.session is None
        person.session = make_session(started_at=T0 + timedelta(days=1))
        await uow.people.save(person)
        await uow.commit()
    assert person.session.id is not None and person.session.id != finished.id

    async with new_uow() as uow:
        reloaded = await uow.people.get(1001)
    assert reloaded is not None and reloaded.session == person.session

    old, new = await _session_rows(engine)
    assert (old.status, new.status) == ("finished", "active")
    # The finished session keeps all it had, for reports.
    assert session_from_row(old) == finished
    assert old.ended_at is not None and old.ended_at.replace(tzinfo=UTC) == end
    (rating,) = await _rating_rows(engine)
    assert rating.session_id == finished.id


async def test_newest_unfinished_session_is_the_current_one(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        person = make_person(session=make_session(started_at=T0 + timedelta(hours=2)))
        await uow.people.add(person)
        # Started later but inserted earlier: "newest" goes by start time.
        person.session = make_session(started_at=T0 + timedelta(hours=1), status="paused")
        await uow.people.save(person)
        person.session = make_session(started_at=T0 + timedelta(hours=3), status="paused")
        newest = person.session
        await uow.people.save(person)
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
    assert loaded is not None and loaded.session == newest


async def test_a_session_of_someone_else_cannot_be_saved(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        first = make_person(1, session=make_session())
        await uow.people.add(first)
        await uow.people.add(make_person(2))
        second = await uow.people.get(2)
        assert second is not None
        second.session = first.session
        with pytest.raises(LookupError, match="session"):
            await uow.people.save(second)


async def test_naive_hold_times_are_refused(new_uow: NewUow) -> None:
    session = make_session(hold=Hold(started_at=datetime(2025, 1, 1), deadline=T0))
    async with new_uow() as uow:
        with pytest.raises(ValueError, match="naive datetime"):
            await uow.people.add(make_person(session=session))


async def _start(
    uow: SqlUnitOfWork, telegram_user_id: int, status: str, deadline: datetime | None
) -> None:
    hold = None if deadline is None else Hold(started_at=T0, deadline=deadline)
    session = make_session(status=status, hold=hold)
    await uow.people.add(make_person(telegram_user_id, session=session))


async def test_people_holding(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await _start(uow, 1, "active", T0 + timedelta(seconds=30))
        await _start(uow, 2, "active", T0 + timedelta(seconds=10))
        await _start(uow, 3, "active", None)
        await _start(uow, 4, "paused", T0 + timedelta(seconds=5))
        await _start(uow, 5, "finished", T0 + timedelta(seconds=1))
        # 08:30:35 UTC, written as 10:30:20 in UTC+2: ordered by instant, not by text.
        await _start(uow, 6, "active", (T0 + timedelta(seconds=20)).astimezone(BERLIN_SUMMER))
        await uow.people.add(make_person(7))
        await uow.commit()

    async with new_uow() as uow:
        assert await uow.holds.people_holding() == [2, 6, 1]
        assert await uow.holds.people_holding(limit=2) == [2, 6]
        assert await uow.holds.people_holding(limit=0) == []

        person = await uow.people.get(2)
        assert person is not None and person.session is not None
        person.session.hold = None
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        assert await uow.holds.people_holding() == [6, 1]


async def test_people_holding_uses_the_deadline_index(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        sql = str(
            people_holding_query(100).compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        if connection.dialect.name == "sqlite":
            plan = (await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all()
        else:
            # With empty tables PostgreSQL would rather scan; ask what it can do.
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            await connection.execute(text("SET LOCAL enable_sort = off"))
            plan = (await connection.execute(text(f"EXPLAIN {sql}"))).all()
    rendered = "\n".join(str(row) for row in plan)
    assert "ix_sessions_hold_deadline" in rendered, rendered


def test_mapping_knows_every_domain_field() -> None:
    # A new domain field must be given a column or a place in the progress document
    # (storage.session_mapping / person_mapping / triage_mapping / reminder_mapping); then
    # update this list.
    known = {
        Session: "started_at plan id status cursor hold results pain_before pain_after "
        "ended_at end_reason advised",
        PlannedExercise: "exercise_id hold_seconds rounds round_kind",
        Cursor: "exercise round side step",
        Hold: "started_at deadline message_id",
        PainRating: "at rating moment where exercise_id",
        Person: "telegram_user_id chat_id language created_at id consented_at country_code "
        "safety_seen_at onboarded_at program conversation first_session_at guided_holds "
        "session new_pain_ratings recent_pain follow_up rest_until new_triage_records "
        "new_program_changes questions "
        "forget "  # forget is never stored: the service deletes the person instead
        "reminder_settings reminders appointment inactive allowance "
        "link_offer "  # never stored: what the service found for this update's link
        "share_links",
        ShareLink: "ref created_at expires_at id revoked_at views last_viewed_at",
        ReminderSettings: "time_zone session_time days paused quiet_start quiet_end "
        "checkin_time",
        Reminder: "kind fire_at id status",
        Appointment: "at with_whom id",
        TriageRecord: "at level rule catalogue_version source text",
        FollowUp: "due_at level rule",
        Question: "text asked_at context id answered_at answer",
        Prescription: "exercise_id enabled hold_seconds repetitions sets",
        Conversation: "flow state data revision",
    }
    for cls, names in known.items():
        assert [f.name for f in dataclasses.fields(cls)] == names.split(), cls.__name__


def test_progress_document_version_is_checked() -> None:
    session = make_session(id=5)
    row = SessionRow(
        id=5,
        person_id=1,
        status="active",
        started_at=session.started_at,
        progress=progress_document(session),
    )
    assert session_from_row(row) == session
    row.progress = {**row.progress, "version": 2}
    with pytest.raises(ValueError, match="version"):
        session_from_row(row)
