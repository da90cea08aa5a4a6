"""Follow-ups, triage decisions, saved questions and recent pain, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.model import FollowUp, Question
from storage.models import PersonRow
from storage.queries import RECENT_PAIN, recent_pain_params
from storage.repositories import SqlPeopleRepository
from storage.schedules import people_due_query
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import (
    BERLIN_SUMMER,
    T0,
    make_person,
    make_question,
    make_rating,
    make_session,
    make_triage_record,
    query_plan,
)

NewUow = Callable[[], SqlUnitOfWork]
Factory = async_sessionmaker[AsyncSession]

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)


def _people(uow: SqlUnitOfWork) -> SqlPeopleRepository:
    people = uow.people
    assert isinstance(people, SqlPeopleRepository)
    return people


def _assert_utc(moment: datetime | None) -> None:
    assert moment is not None
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


async def _follow_up_columns(engine: AsyncEngine) -> list[tuple[object, ...]]:
    columns = (PersonRow.follow_up_due_at, PersonRow.follow_up_level, PersonRow.follow_up_rule)
    async with engine.connect() as connection:
        result = await connection.execute(select(*columns).order_by(PersonRow.id))
        return [tuple(row) for row in result]


async def test_follow_up_is_set_changed_and_cleared(new_uow: NewUow, engine: AsyncEngine) -> None:
    # Given in UTC+2 on purpose: it must come back as the same instant in UTC.
    due = datetime(2025, 3, 1, 12, 0, 0, 1, tzinfo=BERLIN_SUMMER)
    person = make_person(follow_up=FollowUp(due_at=due, level="urgent", rule="numb_arms"))
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded == person
        assert loaded is not None and loaded.follow_up is not None
        _assert_utc(loaded.follow_up.due_at)
        assert loaded.follow_up.due_at == datetime(2025, 3, 1, 10, 0, 0, 1, tzinfo=UTC)
        loaded.follow_up = FollowUp(due_at=T0 + timedelta(days=1), level="call_doctor", rule=None)
        await uow.people.save(loaded)
        await uow.commit()

    async with new_uow() as uow:
        changed = await uow.people.get(1001)
        assert changed is not None
        assert changed.follow_up == FollowUp(T0 + timedelta(days=1), "call_doctor", None)
        changed.follow_up = None
        await uow.people.save(changed)
        await uow.commit()

    async with new_uow() as uow:
        cleared = await uow.people.get(1001)
    assert cleared is not None and cleared.follow_up is None
    assert await _follow_up_columns(engine) == [(None, None, None)]


async def test_a_person_without_follow_up_has_none(new_uow: NewUow, engine: AsyncEngine) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person())
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
    assert loaded is not None and loaded.follow_up is None
    assert await _follow_up_columns(engine) == [(None, None, None)]


async def test_triage_records_are_appended_and_questions_added(new_uow: NewUow) -> None:
    first = make_triage_record(T0 + timedelta(hours=2), "emergency", source="checkin")
    # Given earlier but written later: histories go by time, not by insertion.
    earlier = make_triage_record(T0, "none", rule=None, text=None, source="session")
    later = make_triage_record(
        (T0 + timedelta(days=1)).astimezone(BERLIN_SUMMER), "call_doctor", text="x" * 5000
    )
    asked = make_question(T0 + timedelta(hours=1), "Warum knackt es beim Drehen? 🤔")
    long_question = Question(text="?" * 5000, asked_at=T0 + timedelta(days=2), context="c" * 200)
    bare = Question(text="Wie lange noch?", asked_at=T0 - timedelta(hours=1))

    async with new_uow() as uow:
        person = make_person(new_triage_records=[first], questions=[asked])
        await uow.people.add(person)
        assert person.new_triage_records == []
        assert asked.id is not None

        person.new_triage_records += [earlier, later]
        person.questions += [long_question, bare]
        await uow.people.save(person)
        assert person.new_triage_records == []
        assert long_question.id is not None and bare.id is not None
        assert len({asked.id, long_question.id, bare.id}) == 3
        # Saving again writes nothing twice.
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        history = await _people(uow).triage_history(1001)
        questions = await _people(uow).questions(1001)
        assert await _people(uow).triage_history(424242) == []
        assert await _people(uow).questions(424242) == []
    assert loaded is not None
    assert loaded.new_triage_records == []
    # Loaded oldest first, whatever order they were added in.
    assert loaded.questions == questions == [bare, asked, long_question]
    loaded.questions = person.questions
    assert loaded == person
    assert history == [earlier, first, later]
    for moment in [r.at for r in history] + [q.asked_at for q in questions]:
        _assert_utc(moment)


async def test_questions_of_others_are_not_listed(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        mine = make_question(T0, "mine")
        await uow.people.add(make_person(1, questions=[mine]))
        await uow.people.add(make_person(2, questions=[make_question(T0, "theirs")]))
        await uow.people.add(make_person(3, new_triage_records=[make_triage_record(T0)]))
        await uow.commit()
    async with new_uow() as uow:
        assert await _people(uow).questions(1) == [mine]
        assert await _people(uow).triage_history(1) == []
        assert len(await _people(uow).triage_history(3)) == 1


async def test_edited_answered_and_removed_questions_are_written_back(new_uow: NewUow) -> None:
    keep, edit, answer, drop = (make_question(T0 + timedelta(minutes=n), f"q{n}")
                                for n in range(4))
    async with new_uow() as uow:
        await uow.people.add(make_person(questions=[keep, edit, answer, drop]))
        await uow.people.add(make_person(2, questions=[make_question(T0, "theirs")]))
        await uow.commit()
    async with new_uow() as uow:
        person = await uow.people.get(1001)
        assert person is not None
        by_text = {q.text: q for q in person.questions}
        by_text["q1"].text = "q1, reworded: Ça va? Всё ли в порядке?"
        by_text["q2"].answered_at, by_text["q2"].answer = T0 + timedelta(days=3), "Twice a day"
        person.questions.remove(by_text["q3"])
        await uow.people.save(person)
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        theirs = await _people(uow).questions(2)
    assert loaded is not None
    assert [(q.text, q.answered_at, q.answer) for q in loaded.questions] == [
        ("q0", None, None),
        ("q1, reworded: Ça va? Всё ли в порядке?", None, None),
        ("q2", T0 + timedelta(days=3), "Twice a day"),
    ]
    assert [q.text for q in theirs] == ["theirs"]


async def test_a_question_id_of_someone_else_is_refused(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(2, questions=[make_question(T0, "theirs")]))
        mine = make_person(questions=[make_question(T0, "mine")])
        await uow.people.add(mine)
        await uow.commit()
    async with new_uow() as uow:
        (theirs,) = await _people(uow).questions(2)
        person = await uow.people.get(1001)
        assert person is not None
        theirs.text = "overwritten"
        person.questions = [theirs]  # as if a forged id got into the list
        with pytest.raises(LookupError, match="not this person's"):
            await uow.people.save(person)
    async with new_uow() as uow:
        assert [q.text for q in await _people(uow).questions(2)] == ["theirs"]
        assert [q.text for q in await _people(uow).questions(1001)] == ["mine"]


async def test_recent_pain_is_the_last_14_days_by_the_clock(session_factory: Factory) -> None:
    window_start = NOW - timedelta(days=14)
    ratings = {
        "too_old": make_rating(NOW - timedelta(days=15), 1),
        "just_too_old": make_rating(window_start - timedelta(microseconds=1), 2),
        "first_day": make_rating(window_start, 3),
        # Same instant as the next: ties keep the order they were saved in.
        "tie_a": make_rating(NOW - timedelta(days=3), 4),
        "tie_b": make_rating(NOW - timedelta(days=3), 5, moment="after", where=None),
        "hour_ago": make_rating((NOW - timedelta(hours=1)).astimezone(BERLIN_SUMMER), 6),
        "now": make_rating(NOW, 7),
        "future": make_rating(NOW + timedelta(seconds=1), 8),
    }
    order = ["now", "tie_a", "too_old", "future", "hour_ago", "first_day", "tie_b"]
    async with SqlUnitOfWork(session_factory, clock=lambda: NOW) as uow:
        person = make_person(new_pain_ratings=[ratings[name] for name in order])
        await uow.people.add(person)
        person.new_pain_ratings.append(ratings["just_too_old"])
        await uow.people.save(person)
        # Somebody else's ratings in the window are not this person's baseline.
        other = make_person(2, new_pain_ratings=[make_rating(NOW - timedelta(days=1), 10)])
        await uow.people.add(other)
        await uow.commit()

    async with SqlUnitOfWork(session_factory, clock=lambda: NOW) as uow:
        loaded = await uow.people.get(1001)
        other_loaded = await uow.people.get(2)
    assert loaded is not None and other_loaded is not None
    expected = ["first_day", "tie_a", "tie_b", "hour_ago", "now"]
    assert loaded.recent_pain == [ratings[name] for name in expected]
    assert [r.rating for r in other_loaded.recent_pain] == [10]
    for rating in loaded.recent_pain:
        _assert_utc(rating.at)

    # Two days later the window has moved on with the clock.
    later = NOW + timedelta(days=2)
    async with SqlUnitOfWork(session_factory, clock=lambda: later) as uow:
        moved = await uow.people.get(1001)
    assert moved is not None
    expected = ["tie_a", "tie_b", "hour_ago", "now", "future"]
    assert moved.recent_pain == [ratings[name] for name in expected]


async def test_recent_pain_is_read_only(session_factory: Factory) -> None:
    async with SqlUnitOfWork(session_factory, clock=lambda: NOW) as uow:
        person = make_person(new_pain_ratings=[make_rating(NOW - timedelta(days=1))])
        await uow.people.add(person)
        await uow.commit()
    async with SqlUnitOfWork(session_factory, clock=lambda: NOW) as uow:
        loaded = await uow.people.get(1001)
        assert loaded is not None and len(loaded.recent_pain) == 1
        loaded.recent_pain.append(make_rating(NOW, 9))
        await uow.people.save(loaded)
        await uow.commit()
    async with SqlUnitOfWork(session_factory, clock=lambda: NOW) as uow:
        assert len(await _people(uow).pain_history(1001)) == 1


async def _due(uow: SqlUnitOfWork, telegram_user_id: int, due_at: datetime | None) -> None:
    follow_up = None if due_at is None else FollowUp(due_at, "urgent", "numb_arms")
    await uow.people.add(make_person(telegram_user_id, follow_up=follow_up))


async def test_people_due(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await _due(uow, 1, NOW - timedelta(minutes=1))
        await _due(uow, 2, NOW - timedelta(hours=2))
        await _due(uow, 3, None)
        await _due(uow, 4, NOW + timedelta(seconds=1))
        await _due(uow, 5, NOW)  # due exactly now counts
        # 11:30 UTC, written as 13:30 in UTC+2: ordered by instant, not by text.
        await _due(uow, 6, (NOW - timedelta(minutes=30)).astimezone(BERLIN_SUMMER))
        await uow.commit()

    async with new_uow() as uow:
        assert await uow.follow_ups.people_due(NOW) == [2, 6, 1, 5]
        assert await uow.follow_ups.people_due(NOW, limit=2) == [2, 6]
        assert await uow.follow_ups.people_due(NOW, limit=0) == []
        assert await uow.follow_ups.people_due(NOW - timedelta(days=1)) == []
        assert await uow.follow_ups.people_due(NOW + timedelta(days=1)) == [2, 6, 1, 5, 4]
        # `now` in another offset means the same instant.
        assert await uow.follow_ups.people_due(NOW.astimezone(BERLIN_SUMMER)) == [2, 6, 1, 5]

        person = await uow.people.get(6)
        assert person is not None
        person.follow_up = None
        await uow.people.save(person)
        person = await uow.people.get(2)
        assert person is not None and person.follow_up is not None
        person.follow_up.due_at = NOW + timedelta(hours=1)
        await uow.people.save(person)
        await uow.commit()

    async with new_uow() as uow:
        assert await uow.follow_ups.people_due(NOW) == [1, 5]


async def test_people_due_refuses_a_naive_time(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.follow_ups.people_due(datetime(2025, 3, 20, 12, 0))




async def test_people_due_uses_the_due_index(engine: AsyncEngine) -> None:
    plan = await query_plan(engine, people_due_query(NOW, 100))
    assert "ix_people_follow_up_due_at" in plan, plan
    if engine.dialect.name == "sqlite":
        assert "TEMP B-TREE" not in plan, plan


async def test_recent_pain_uses_the_person_time_index(engine: AsyncEngine) -> None:
    plan = await query_plan(engine, RECENT_PAIN.params(recent_pain_params(1, NOW)))
    assert "ix_pain_ratings_person_id_at" in plan, plan
    if engine.dialect.name == "sqlite":
        # The index (with the rowid) yields the order: no sort step.
        assert "TEMP B-TREE" not in plan, plan


async def test_rest_until_and_a_sessions_advice_are_kept(new_uow: NewUow) -> None:
    # #15: the day held back after an urgent sign, and "call your doctor" for the summary,
    # outlive the update that set them.
    session = make_session()
    session.advised = ["call_doctor"]
    rest = datetime(2025, 3, 2, 0, 0, tzinfo=BERLIN_SUMMER)
    person = make_person(rest_until=rest, session=session)
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(1001)
        assert loaded == person
        assert loaded is not None and loaded.session is not None
        assert loaded.rest_until == datetime(2025, 3, 1, 22, 0, tzinfo=UTC)
        assert loaded.session.advised == ["call_doctor"]
        loaded.rest_until = None
        await uow.people.save(loaded)
        await uow.commit()
    async with new_uow() as uow:
        cleared = await uow.people.get(1001)
    assert cleared is not None and cleared.rest_until is None
