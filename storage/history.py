"""A person's history, oldest first, read by Telegram user id: for their own data export and
the visit report. Unknown people have none."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import (
    REMINDER_KINDS,
    PainRating,
    ProgramChange,
    Question,
    Session,
    TriageRecord,
    one_of,
)
from bot.services.ports import STORED_REMINDER_STATUSES, ReminderRecord
from storage.models import (
    PainRatingRow,
    PersonRow,
    ProgramChangeRow,
    QuestionRow,
    ReminderRow,
    SessionRow,
    TriageDecisionRow,
)
from storage.program_mapping import program_change_from_row
from storage.session_mapping import pain_rating_from_row, session_from_row
from storage.triage_mapping import question_from_row, triage_record_from_row

Row = TypeVar("Row", PainRatingRow, ProgramChangeRow, QuestionRow, ReminderRow, SessionRow,
              TriageDecisionRow)


def _of_person(model: type[Row], telegram_user_id: int, *order: Any) -> Select[tuple[Row]]:
    """The person's rows of `model`, in `order` then by id (rows of one instant keep theirs)."""
    return (select(model).join(PersonRow, PersonRow.id == model.person_id)
            .where(PersonRow.telegram_user_id == telegram_user_id)
            .order_by(*order, model.id))


async def _rows(session: AsyncSession, statement: Select[tuple[Row]]) -> Sequence[Row]:
    return (await session.execute(statement)).scalars().all()


async def pain_history(session: AsyncSession, telegram_user_id: int,
                       since: datetime | None = None) -> list[PainRating]:
    """Pain ratings at or after `since`."""
    statement = _of_person(PainRatingRow, telegram_user_id, PainRatingRow.at)
    if since is not None:
        statement = statement.where(PainRatingRow.at >= since)
    return [pain_rating_from_row(row) for row in await _rows(session, statement)]


async def triage_history(session: AsyncSession, telegram_user_id: int) -> list[TriageRecord]:
    """Every triage decision."""
    statement = _of_person(TriageDecisionRow, telegram_user_id, TriageDecisionRow.at)
    return [triage_record_from_row(row) for row in await _rows(session, statement)]


async def questions(session: AsyncSession, telegram_user_id: int) -> list[Question]:
    """Every saved question, with its id."""
    statement = _of_person(QuestionRow, telegram_user_id, QuestionRow.asked_at)
    return [question_from_row(row) for row in await _rows(session, statement)]


async def session_history(session: AsyncSession, telegram_user_id: int) -> list[Session]:
    """Every session, finished or not."""
    statement = _of_person(SessionRow, telegram_user_id, SessionRow.started_at)
    return [session_from_row(row) for row in await _rows(session, statement)]


async def reminder_history(session: AsyncSession,
                           telegram_user_id: int) -> list[ReminderRecord]:
    """Every reminder row whatever its status (kept for the audit trail), by fire time."""
    statement = _of_person(ReminderRow, telegram_user_id, ReminderRow.fire_at)
    return [ReminderRecord(one_of(row.kind, REMINDER_KINDS), row.fire_at,
                           one_of(row.status, STORED_REMINDER_STATUSES), row.sent_at)
            for row in await _rows(session, statement)]


async def program_history(session: AsyncSession, telegram_user_id: int) -> list[ProgramChange]:
    """Every change made to the program after set-up, by date."""
    statement = _of_person(ProgramChangeRow, telegram_user_id, ProgramChangeRow.at)
    return [program_change_from_row(row) for row in await _rows(session, statement)]
