"""SQL implementations of the storage ports. They flush when needed but never commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.util import identity_key

from bot.domain.model import (
    PainRating,
    Person,
    ProgramChange,
    Question,
    Session,
    TriageRecord,
)
from bot.services.ports import ReminderRecord
from storage import history
from storage.models import (
    AppointmentRow,
    ConversationRow,
    OutboxRow,
    PainRatingRow,
    PersonRow,
    PrescriptionRow,
    ProgramChangeRow,
    QuestionRow,
    ReminderRow,
    SessionRow,
    ShareLinkRow,
    TriageDecisionRow,
)
from storage.person_mapping import (
    write_conversation,
    write_fields,
    write_program,
)
from storage.person_rows import (
    PERSON_BY_ID,
    PERSON_BY_TELEGRAM_ID,
    LoadedPerson,
    add_person,
    loaded_person,
    person_of,
    write_person,
)
from storage.program_mapping import program_change_row
from storage.queries import (
    LOCK_PERSON,
    OPEN_SESSION,
    RECENT_PAIN,
    recent_pain_params,
)
from storage.question_sync import question_rows, questions_of, write_questions
from storage.reminder_mapping import check_reminder_fields
from storage.reminder_sync import (
    appointment_of,
    appointment_row,
    pending_reminder_rows,
    reminders_of,
    write_appointment,
    write_reminders,
)
from storage.session_mapping import (
    pain_rating_from_row,
    pain_rating_row,
    session_from_row,
    write_session,
)
from storage.share_links import open_share_links, write_share_links
from storage.triage_mapping import triage_decision_row
from storage.update_log import SqlUpdateLog as SqlUpdateLog  # re-exported

Clock = Callable[[], datetime]



@dataclass
class _Loaded:
    """The rows get() read for a person, under their lock, for save() to write to instead
    of reading them all again in the same transaction. Held here because the session's
    identity map keeps rows only while something else refers to them."""

    person: LoadedPerson
    session: SessionRow | None
    questions: list[QuestionRow]
    reminders: list[ReminderRow]
    appointment: AppointmentRow | None


def utc_now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class SqlPeopleRepository:
    """Loads and stores whole Person aggregates through one session."""

    def __init__(self, session: AsyncSession, clock: Clock = utc_now) -> None:
        """Work inside `session`; `clock` stamps conversations.updated_at."""
        self._session = session
        self._clock = clock
        self._loaded: dict[int, _Loaded] = {}

    async def get(self, telegram_user_id: int) -> Person | None:
        """The person with everything save() writes, plus recent_pain; row-locked.

        recent_pain holds the ratings of the 14 days up to the clock's now (both ends
        included), oldest first. reminders holds the pending ones, earliest first (also
        row-locked, so the queue cannot claim them meanwhile). The locks last until the
        transaction ends. The new_* lists start empty.
        """
        # Lock first, load second (PostgreSQL). The lock serialises updates for one person
        # across processes; loading in a separate statement then reads what the previous
        # lock holder committed (READ COMMITTED takes a snapshot per statement, and a single
        # locking join would return the pre-wait conversation row).
        now = self._clock()
        found = await self._locked_row(telegram_user_id, now)
        if found is None:
            return None
        read, has = found
        person_id = read.person_id
        person = person_of(read)
        # Only what the person has is read: each of these is a statement (a round trip).
        session_row = await self._open_session(person_id) if has["session"] else None
        person.session = None if session_row is None else session_from_row(session_row)
        if has["pain"]:
            ratings = await self._session.execute(RECENT_PAIN, recent_pain_params(person_id, now))
            person.recent_pain = [pain_rating_from_row(rating) for rating in ratings.scalars()]
        else:
            person.recent_pain = []
        loaded = _Loaded(
            read, session_row,
            await question_rows(self._session, person_id) if has["questions"] else [],
            await pending_reminder_rows(self._session, person_id) if has["reminders"] else [],
            await appointment_row(self._session, person_id) if has["appointment"] else None)
        self._loaded[person_id] = loaded
        person.questions = questions_of(loaded.questions)
        person.reminders = reminders_of(loaded.reminders)
        person.appointment = appointment_of(loaded.appointment)
        person.share_links = (await open_share_links(self._session, person_id, now)
                              if has["shares"] else [])
        return person

    async def _locked_row(self, telegram_user_id: int,
                          now: datetime) -> tuple[LoadedPerson, dict[str, bool]] | None:
        """The person's columns with prescriptions and conversation, locked for the
        transaction, and which of their other rows exist (queries.HAS)."""
        window = recent_pain_params(None, now)
        if self._session.get_bind().dialect.name == "sqlite":
            # SQLite has no row locks; its BEGIN IMMEDIATE already serialises writers.
            found = await self._session.execute(
                PERSON_BY_TELEGRAM_ID, {**window, "telegram_user_id": telegram_user_id})
        else:
            locked = await self._session.execute(LOCK_PERSON,
                                                 {"telegram_user_id": telegram_user_id})
            person_id = locked.scalar_one_or_none()
            if person_id is None:
                return None
            found = await self._session.execute(PERSON_BY_ID, {**window, "person_id": person_id})
        rows = found.all()
        return loaded_person(rows) if rows else None

    async def add(self, person: Person) -> None:
        """Insert a new person with everything save() writes; sets person.id."""
        if person.id is not None:
            raise ValueError(f"person {person.id} was already added")
        check_reminder_fields(person)
        # Core statements (storage/person_rows.py): a duplicate telegram_user_id fails here.
        person.id = await add_person(self._session, person, self._clock())
        await self._write_children(person.id, person)

    async def save(self, person: Person) -> None:
        """Write a person loaded or added before, with session and the new_* lists.

        A session without an id is inserted (and gets one); new_pain_ratings are appended,
        linked to person.session if there is one; new_triage_records and new_program_changes
        are appended; the three lists are then emptied. Questions are synced
        (storage.question_sync: new ones get ids). follow_up None clears the stored
        follow-up; recent_pain is not written (it is only read). Reminders are synced as
        storage.reminder_sync.write_reminders says (new ones get ids, dropped pending ones
        become cancelled); appointment None removes it.
        """
        if person.id is None:
            raise ValueError("save() needs a person that was added or loaded; use add()")
        check_reminder_fields(person)
        # Used once: after this save the rows may have changed (an appointment replaced).
        loaded = self._loaded.pop(person.id, None)
        if loaded is None:
            row = await self._row(person.id)
            write_fields(row, person)
            write_program(row, person.program)
            write_conversation(row, person.conversation, self._clock)
        else:
            await write_person(self._session, loaded.person, person, self._clock)
            self._expire_person_row(person.id)
        # Flushes everything, the changes to `row` included.
        await self._write_children(person.id, person, loaded)

    async def delete_person(self, telegram_user_id: int) -> bool:
        """Remove the person and every row that belongs to them; False when unknown."""
        person_ids = select(PersonRow.id).where(PersonRow.telegram_user_id == telegram_user_id)
        # Children are deleted explicitly rather than by ON DELETE CASCADE alone, so
        # nothing is left behind on a SQLite connection that has foreign keys off.
        # Ratings go before sessions, so that no ON DELETE SET NULL has anything to do.
        children = (
            PainRatingRow,
            SessionRow,
            TriageDecisionRow,
            ProgramChangeRow,
            QuestionRow,
            ReminderRow,
            AppointmentRow,
            ShareLinkRow,
            PrescriptionRow,
            ConversationRow,
            OutboxRow,
        )
        for child in children:
            await self._session.execute(
                delete(child).where(child.person_id.in_(person_ids)),
                execution_options={"synchronize_session": "fetch"},
            )
        result = await self._session.execute(
            delete(PersonRow).where(PersonRow.telegram_user_id == telegram_user_id),
            execution_options={"synchronize_session": "fetch"},
        )
        return bool(getattr(result, "rowcount", 0))

    async def mark_inactive(self, telegram_user_id: int, inactive: bool) -> None:
        """Set only the person's inactive flag (a 403 from Telegram); unknown ids are ignored.

        The reminder queue skips an inactive person's reminders, leaving them pending.
        """
        # inactive_since keeps the first time we found them gone: FORGET_BLOCKED_AFTER_DAYS
        # counts from it.
        since = func.coalesce(PersonRow.inactive_since, self._clock()) if inactive else None
        await self._session.execute(
            update(PersonRow)
            .where(PersonRow.telegram_user_id == telegram_user_id)
            .values(inactive=inactive, inactive_since=since),
            execution_options={"synchronize_session": "fetch"},
        )

    async def pain_history(
        self, telegram_user_id: int, since: datetime | None = None
    ) -> list[PainRating]:
        """The person's pain ratings at or after `since`, oldest first; [] when unknown."""
        return await history.pain_history(self._session, telegram_user_id, since)

    async def triage_history(self, telegram_user_id: int) -> list[TriageRecord]:
        """The person's triage decisions, oldest first; [] when unknown."""
        return await history.triage_history(self._session, telegram_user_id)

    async def questions(self, telegram_user_id: int) -> list[Question]:
        """The person's saved questions with their ids, oldest first; [] when unknown."""
        return await history.questions(self._session, telegram_user_id)

    async def session_history(self, telegram_user_id: int) -> list[Session]:
        """Every session of the person, finished or not, oldest first; [] when unknown."""
        return await history.session_history(self._session, telegram_user_id)

    async def reminder_history(self, telegram_user_id: int) -> list[ReminderRecord]:
        """Every reminder row of the person, any status, by fire time; [] when unknown."""
        return await history.reminder_history(self._session, telegram_user_id)

    async def program_history(self, telegram_user_id: int) -> list[ProgramChange]:
        """Every change made to the person's program after set-up, oldest first."""
        return await history.program_history(self._session, telegram_user_id)

    async def _open_session(self, person_id: int) -> SessionRow | None:
        # Should there be more than one unfinished session, the newest is the current one.
        found = await self._session.execute(OPEN_SESSION, {"person_id": person_id})
        return found.scalar_one_or_none()

    async def _write_children(self, person_id: int, person: Person,
                              loaded: _Loaded | None = None) -> None:
        # A new session is flushed first: the ratings given during it need its id.
        session = person.session
        if session is not None:
            if session.id is None:
                row = SessionRow(person_id=person_id)
                write_session(row, session)
                self._session.add(row)
                await self._session.flush()
                session.id = row.id
            else:
                existing = await self._session.get(SessionRow, session.id)
                if existing is None or existing.person_id != person_id:
                    raise LookupError(f"session {session.id} of person {person_id} not found")
                write_session(existing, session)
        session_id = None if session is None else session.id
        self._session.add_all(
            pain_rating_row(person_id, session_id, rating) for rating in person.new_pain_ratings
        )
        self._session.add_all(
            triage_decision_row(person_id, record) for record in person.new_triage_records
        )
        self._session.add_all(
            program_change_row(person_id, change) for change in person.new_program_changes
        )
        await write_questions(self._session, person_id, person.questions,
                              None if loaded is None else loaded.questions)
        person.new_pain_ratings.clear()
        person.new_triage_records.clear()
        person.new_program_changes.clear()
        await write_reminders(self._session, person_id, person.reminders, self._clock(),
                              None if loaded is None else loaded.reminders)
        await write_appointment(self._session, person_id, person.appointment,
                                None if loaded is None else [loaded.appointment])
        await write_share_links(self._session, person_id, person.share_links)

    def _expire_person_row(self, person_id: int) -> None:
        """An ORM row of this person add() left in the session is stale after the Core
        writes: expired, a later ORM save reads it again."""
        stale = self._session.identity_map.get(identity_key(PersonRow, person_id))
        if stale is not None:
            self._session.expire(stale)

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
