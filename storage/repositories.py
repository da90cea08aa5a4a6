"""SQL implementations of the storage ports. They flush when needed but never commit."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, exists, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot.domain.model import Conversation, Person, Prescription
from storage.models import ConversationRow, PersonRow, PrescriptionRow, ProcessedUpdateRow

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class SqlPeopleRepository:
    """Loads and stores whole Person aggregates through one session."""

    def __init__(self, session: AsyncSession, clock: Clock = utc_now) -> None:
        """Work inside `session`; `clock` stamps conversations.updated_at."""
        self._session = session
        self._clock = clock

    async def get(self, telegram_user_id: int) -> Person | None:
        """The person with program and conversation, row-locked until the transaction ends."""
        # Lock first, load second. The lock serialises updates for one person across
        # processes sharing PostgreSQL; loading in a separate statement then reads what the
        # previous lock holder committed (READ COMMITTED takes a snapshot per statement,
        # and a single locking join would return the pre-wait conversation row).
        # SQLite ignores FOR UPDATE; its BEGIN IMMEDIATE already serialises writers.
        locked = (
            select(PersonRow.id)
            .where(PersonRow.telegram_user_id == telegram_user_id)
            .with_for_update()
        )
        person_id = (await self._session.execute(locked)).scalar_one_or_none()
        if person_id is None:
            return None
        statement = (
            select(PersonRow)
            .where(PersonRow.id == person_id)
            .options(joinedload(PersonRow.prescriptions), joinedload(PersonRow.conversation))
            # Rows cached in this session may predate the lock; reload them.
            .execution_options(populate_existing=True)
        )
        row = (await self._session.execute(statement)).unique().scalar_one()
        return _to_domain(row)

    async def add(self, person: Person) -> None:
        """Insert a new person with program and conversation; sets person.id."""
        if person.id is not None:
            raise ValueError(f"person {person.id} was already added")
        row = PersonRow(prescriptions=[], conversation=None)
        _write_fields(row, person)
        _write_program(row, person.program)
        row.conversation = _new_conversation(person.conversation, self._clock())
        self._session.add(row)
        # Flushing now surfaces a duplicate telegram_user_id here and yields the id.
        await self._session.flush()
        person.id = row.id

    async def save(self, person: Person) -> None:
        """Write fields, program and conversation of a person loaded or added before."""
        if person.id is None:
            raise ValueError("save() needs a person that was added or loaded; use add()")
        row = await self._row(person.id)
        _write_fields(row, person)
        _write_program(row, person.program)
        _write_conversation(row, person.conversation, self._clock)
        await self._session.flush()

    async def delete_person(self, telegram_user_id: int) -> bool:
        """Remove the person and every row that belongs to them; False when unknown."""
        person_ids = select(PersonRow.id).where(PersonRow.telegram_user_id == telegram_user_id)
        # Children are deleted explicitly rather than by ON DELETE CASCADE alone, so
        # nothing is left behind on a SQLite connection that has foreign keys off.
        for child in (PrescriptionRow, ConversationRow):
            await self._session.execute(
                delete(child).where(child.person_id.in_(person_ids)),
                execution_options={"synchronize_session": "fetch"},
            )
        result = await self._session.execute(
            delete(PersonRow).where(PersonRow.telegram_user_id == telegram_user_id),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))

    async def _row(self, person_id: int) -> PersonRow:
        row = await self._session.get(PersonRow, person_id)
        if row is None:
            raise LookupError(f"person {person_id} does not exist")
        if {"prescriptions", "conversation"} & inspect(row).unloaded:
            statement = (
                select(PersonRow)
                .where(PersonRow.id == person_id)
                .options(
                    selectinload(PersonRow.prescriptions), selectinload(PersonRow.conversation)
                )
                .execution_options(populate_existing=True)
            )
            row = (await self._session.execute(statement)).scalar_one()
        return row


class SqlUpdateLog:
    """Remembers applied Telegram update ids in the processed_updates table."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def seen(self, update_id: int) -> bool:
        """True when this update id was recorded before."""
        query = select(exists().where(ProcessedUpdateRow.update_id == update_id))
        return bool((await self._session.execute(query)).scalar())

    async def record(self, update_id: int, at: datetime) -> None:
        """Record the update id now; a concurrent duplicate fails with IntegrityError."""
        await self._session.execute(
            insert(ProcessedUpdateRow).values(update_id=update_id, processed_at=at)
        )


def _to_domain(row: PersonRow) -> Person:
    conversation = (
        Conversation()
        if row.conversation is None
        else Conversation(
            flow=row.conversation.flow,
            state=row.conversation.state,
            # A private copy: the domain mutates it, and the ORM compares against it later.
            data=copy.deepcopy(row.conversation.data),
            revision=row.conversation.revision,
        )
    )
    return Person(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        language=row.language,
        created_at=row.created_at,
        consented_at=row.consented_at,
        country_code=row.country_code,
        safety_seen_at=row.safety_seen_at,
        onboarded_at=row.onboarded_at,
        program={
            p.exercise_id: Prescription(
                exercise_id=p.exercise_id,
                enabled=p.enabled,
                hold_seconds=p.hold_seconds,
                repetitions=p.repetitions,
                sets=p.sets,
            )
            for p in row.prescriptions
        },
        conversation=conversation,
    )


def _write_fields(row: PersonRow, person: Person) -> None:
    row.telegram_user_id = person.telegram_user_id
    row.chat_id = person.chat_id
    row.language = person.language
    row.created_at = person.created_at
    row.consented_at = person.consented_at
    row.country_code = person.country_code
    row.safety_seen_at = person.safety_seen_at
    row.onboarded_at = person.onboarded_at


def _write_program(row: PersonRow, program: dict[str, Prescription]) -> None:
    existing = {p.exercise_id: p for p in row.prescriptions}
    for exercise_id, prescription in program.items():
        if exercise_id != prescription.exercise_id:
            raise ValueError(f"program key {exercise_id!r} names {prescription.exercise_id!r}")
        target = existing.pop(exercise_id, None)
        if target is None:
            target = PrescriptionRow(exercise_id=exercise_id)
            row.prescriptions.append(target)
        target.enabled = prescription.enabled
        target.hold_seconds = prescription.hold_seconds
        target.repetitions = prescription.repetitions
        target.sets = prescription.sets
    for dropped in existing.values():
        # delete-orphan turns the removal from the collection into a DELETE.
        row.prescriptions.remove(dropped)


def _new_conversation(conversation: Conversation, now: datetime) -> ConversationRow:
    return ConversationRow(
        flow=conversation.flow,
        state=conversation.state,
        data=copy.deepcopy(conversation.data),
        revision=conversation.revision,
        updated_at=now,
    )


def _write_conversation(row: PersonRow, conversation: Conversation, clock: Clock) -> None:
    current = row.conversation
    if current is None:
        row.conversation = _new_conversation(conversation, clock())
        return
    if (current.flow, current.state, current.data, current.revision) == (
        conversation.flow,
        conversation.state,
        conversation.data,
        conversation.revision,
    ):
        return
    current.flow = conversation.flow
    current.state = conversation.state
    current.data = copy.deepcopy(conversation.data)
    current.revision = conversation.revision
    current.updated_at = clock()
