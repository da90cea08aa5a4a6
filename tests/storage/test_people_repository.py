"""The SQL people repository and update log round-trip the domain aggregate faithfully."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain.model import (
    Appointment,
    FollowUp,
    Person,
    Prescription,
    ProgramChange,
    Reminder,
    ShareLink,
)
from storage.models import Base, ConversationRow, PrescriptionRow
from storage.repositories import SqlPeopleRepository, SqlUpdateLog
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import (
    T0,
    make_person,
    make_question,
    make_rating,
    make_session,
    make_triage_record,
    row_counts,
)

NewUow = Callable[[], SqlUnitOfWork]


async def test_person_round_trip(new_uow: NewUow) -> None:
    person = make_person()
    async with new_uow() as uow:
        await uow.people.add(person)
        assert person.id is not None
        await uow.commit()

    async with new_uow() as uow:
        loaded = await uow.people.get(person.telegram_user_id)

    assert loaded == person
    assert loaded is not None
    for moment in (loaded.created_at, loaded.consented_at, loaded.safety_seen_at):
        assert moment is not None
        assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    assert loaded.safety_seen_at == datetime(2025, 3, 1, 8, 32, tzinfo=UTC)
    assert loaded.conversation.data["note"] == "Rücken ok 👍 — 背中"


async def test_get_unknown_person_is_none(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        assert await uow.people.get(424242) is None


async def test_minimal_person_round_trip(new_uow: NewUow) -> None:
    person = make_person(
        consented_at=None, country_code=None, safety_seen_at=None, onboarded_at=None, program={}
    )
    async with new_uow() as uow:
        await uow.people.add(person)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.people.get(person.telegram_user_id) == person


async def test_save_writes_fields_program_and_conversation(
    session_factory: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    later = T0 + timedelta(days=2)
    async with SqlUnitOfWork(session_factory, clock=lambda: T0) as uow:
        await uow.people.add(make_person())
        await uow.commit()

    async with SqlUnitOfWork(session_factory, clock=lambda: later) as uow:
        person = await uow.people.get(1001)
        assert person is not None
        person.language = "en"
        person.chat_id = 77
        person.onboarded_at = None
        del person.program["wall_angel"]
        person.program["chin_tuck"].hold_seconds = 8
        person.program["prone_y"] = Prescription("prone_y", sets=3)
        person.conversation.state = "ask_note"
        person.conversation.data["pain"].append(5)
        person.conversation.revision += 1
        await uow.people.save(person)
        await uow.commit()

    async with SqlUnitOfWork(session_factory) as uow:
        reloaded = await uow.people.get(1001)
    assert reloaded == person
    assert set(reloaded.program) == {"chin_tuck", "prone_y"}
    async with engine.connect() as connection:
        exercise_ids = (await connection.execute(select(PrescriptionRow.exercise_id))).scalars()
        assert sorted(exercise_ids) == ["chin_tuck", "prone_y"]
        updated_at = (await connection.execute(select(ConversationRow.updated_at))).scalar_one()
    assert updated_at.replace(tzinfo=UTC) == later


async def test_save_in_the_same_unit_as_add(new_uow: NewUow) -> None:
    person = make_person()
    async with new_uow() as uow:
        await uow.people.add(person)
        person.program.pop("chin_tuck")
        person.conversation.flow = "session"
        await uow.people.save(person)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.people.get(person.telegram_user_id) == person


async def test_save_needs_an_added_person(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        with pytest.raises(ValueError, match="add"):
            await uow.people.save(make_person())


async def test_telegram_user_id_is_unique(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        await uow.people.add(make_person(1001))
        await uow.commit()
    async with new_uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.people.add(make_person(1001, chat_id=1))


async def test_naive_datetimes_are_refused(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        with pytest.raises(StatementError, match="naive datetime"):
            await uow.people.add(make_person(created_at=datetime(2025, 1, 1)))


async def test_update_log(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        assert not await uow.updates.seen(9_000_000_001)
        assert await uow.updates.claim(9_000_000_001, T0)
        assert await uow.updates.seen(9_000_000_001)
        assert not await uow.updates.claim(9_000_000_001, T0)  # within one transaction too
        assert not await uow.updates.seen(9_000_000_002)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.updates.seen(9_000_000_001)
        assert not await uow.updates.claim(9_000_000_001, T0)
        assert await uow.updates.claim(9_000_000_002, T0)


async def test_two_transactions_claiming_one_update_apply_it_once(new_uow: NewUow) -> None:
    """Two replicas given the same (redelivered) update at once: only one applies it."""
    first_claimed = asyncio.Event()

    async def second() -> bool:
        await first_claimed.wait()
        async with new_uow() as uow:
            claimed = await uow.updates.claim(9_000_000_005, T0)  # waits for the first
            await uow.commit()
            return claimed

    waiting = asyncio.create_task(second())
    async with new_uow() as uow:
        assert await uow.updates.claim(9_000_000_005, T0)
        first_claimed.set()
        await asyncio.sleep(0.2)  # the second is now blocked on the first's row (or gate)
        assert not waiting.done()
        await uow.commit()
    assert await asyncio.wait_for(waiting, 10) is False


async def test_a_claim_rolled_back_leaves_the_update_to_the_next(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        assert await uow.updates.claim(9_000_000_006, T0)
    async with new_uow() as uow:
        assert await uow.updates.claim(9_000_000_006, T0)


async def test_an_answer_is_kept_until_it_was_sent(new_uow: NewUow) -> None:
    async with new_uow() as uow:
        assert await uow.updates.claim(9_000_000_007, T0)
        await uow.updates.keep_replies(9_000_000_007, '{"replies":[]}', 7)
        assert await uow.updates.claim(9_000_000_008, T0)  # an update with nothing to say
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.updates.unsent_replies(9_000_000_007) == '{"replies":[]}'
        assert await uow.updates.unsent_replies(9_000_000_008) is None
        await uow.updates.mark_replied([], T0)  # nothing to mark: no statement at all
        await uow.updates.mark_replied([9_000_000_007, 9_000_000_008, 9_000_000_999], T0)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.updates.unsent_replies(9_000_000_007) is None
        assert await uow.updates.seen(9_000_000_007)
        assert not await uow.updates.seen(9_000_000_999)  # marking never records an id


async def test_repositories_never_commit(
    session_factory: async_sessionmaker[AsyncSession], new_uow: NewUow
) -> None:
    async with session_factory() as session:
        people, updates = SqlPeopleRepository(session), SqlUpdateLog(session)
        person = make_person()
        await people.add(person)
        person.language = "fr"
        await people.save(person)
        await updates.claim(1, T0)
        # A commit would have ended the transaction.
        assert session.in_transaction()
    async with new_uow() as uow:
        assert await uow.people.get(person.telegram_user_id) is None
        assert not await uow.updates.seen(1)


# Tables that hold nothing about a person; every other table must be cleaned up.
# program_links: a provider's program behind a code's hash, with a count of its uses.
NOT_PERSONAL = {"processed_updates", "bot_settings", "program_links"}


async def _rows_of(engine: AsyncEngine, person_id: int) -> dict[str, int]:
    """Rows per table that belong to a person: every table but NOT_PERSONAL."""
    counts = {}
    async with engine.connect() as connection:
        for name, table in Base.metadata.tables.items():
            if name in NOT_PERSONAL:
                continue
            column = table.c.id if name == "people" else table.c.get("person_id")
            assert column is not None, f"{name} has no person_id: how is it deleted?"
            query = select(func.count()).select_from(table).where(column == person_id)
            counts[name] = (await connection.execute(query)).scalar_one()
    return counts


async def _add_with_history(new_uow: NewUow, telegram_user_id: int) -> Person:
    """A person with a finished session, a current one, ratings in and out of both,
    triage decisions, questions, a pending follow-up, reminders (pending, cancelled and
    claimed), an appointment and a shared page."""
    async with new_uow() as uow:
        person = make_person(
            telegram_user_id,
            session=make_session(),
            new_pain_ratings=[make_rating(T0 + timedelta(hours=1))],
            new_triage_records=[make_triage_record(T0 + timedelta(hours=1))],
            new_program_changes=[ProgramChange(T0 + timedelta(hours=1), "dose", "5", "8",
                                               "chin_tuck", "hold_seconds")],
            questions=[make_question(T0 + timedelta(hours=1))],
            follow_up=FollowUp(T0 + timedelta(hours=3), "urgent", "numb_arms"),
            reminders=[
                Reminder("session", T0 + timedelta(days=1)),
                Reminder("checkin", T0 + timedelta(days=2)),
                Reminder("appointment_1d", T0 - timedelta(days=1)),
            ],
            appointment=Appointment(T0 + timedelta(days=5), "Dr. Weiß"),
            # Open for years, so still open when loaded again (the repository's real clock).
            share_links=[ShareLink("ab12", T0, T0 + timedelta(days=3650))],
        )
        await uow.people.add(person)
        assert person.session is not None
        person.session.status = "finished"
        await uow.people.save(person)
        person.session = None
        person.new_pain_ratings.append(make_rating(T0 + timedelta(hours=2)))
        person.reminders.pop(1)  # cancelled
        await uow.people.save(person)
        # The overdue one is claimed by the tick and so no longer among the pending ones.
        (claimed,) = await uow.reminders.claim_due(T0, f"worker-{telegram_user_id}")
        person.reminders = [r for r in person.reminders if r.id != claimed.id]
        person.session = make_session(started_at=T0 + timedelta(days=1))
        person.new_pain_ratings.append(make_rating(T0 + timedelta(days=1)))
        person.new_triage_records.append(make_triage_record(T0 + timedelta(days=1), "none"))
        person.questions.append(make_question(T0 + timedelta(days=1)))
        await uow.people.save(person)
        assert person.id is not None
        await uow.outbox.add(person.id, '{"replies": []}', T0, T0)  # a message still owed
        assert await uow.updates.claim(telegram_user_id, T0)
        await uow.commit()
    return person


async def test_delete_person_leaves_no_row(new_uow: NewUow, engine: AsyncEngine) -> None:
    deleted = await _add_with_history(new_uow, 1)
    survivor = await _add_with_history(new_uow, 2)
    assert deleted.id is not None and survivor.id is not None
    before = await row_counts(engine)
    owned = await _rows_of(engine, deleted.id)
    # The test covers every table: the person has rows in each of them.
    assert all(owned.values()), owned

    async with new_uow() as uow:
        people = uow.people
        assert isinstance(people, SqlPeopleRepository)
        assert await people.delete_person(1)
        assert await uow.people.get(1) is None
        assert not await people.delete_person(12345)
        await uow.commit()

    assert await _rows_of(engine, deleted.id) == dict.fromkeys(owned, 0)
    after = await row_counts(engine)
    assert after == {name: count - owned.get(name, 0) for name, count in before.items()}
    async with new_uow() as uow:
        assert await uow.people.get(1) is None
        assert isinstance(uow.people, SqlPeopleRepository)
        assert await uow.people.pain_history(1) == []
        assert len(await uow.people.pain_history(2)) == 3
        assert await uow.people.triage_history(1) == []
        assert await uow.people.questions(1) == []
        assert len(await uow.people.triage_history(2)) == 2
        assert len(await uow.people.questions(2)) == 2
        assert await uow.people.program_history(1) == []
        assert len(await uow.people.program_history(2)) == 1
        assert await uow.follow_ups.people_due(T0 + timedelta(days=1)) == [2]
        loaded = await uow.people.get(2)
    assert loaded == survivor
