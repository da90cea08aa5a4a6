"""What the retention settings remove, a batch at a time (each call one short statement,
so a first prune of years of rows never holds SQLite's single writer for long)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    PainRatingRow,
    PersonRow,
    ProgramChangeRow,
    ProgramLinkRow,
    QuestionRow,
    ReminderRow,
    SessionRow,
    TriageDecisionRow,
)
from storage.reminder_mapping import CANCELLED, MISSED, SENT
from storage.share_models import ShareLinkRow

FINISHED = "finished"


def _history(before: datetime) -> list[tuple[Any, ColumnElement[bool]]]:
    """(table, which of its rows are history older than `before`), ratings before sessions
    so that no ON DELETE SET NULL has anything to do."""
    return [
        (PainRatingRow, PainRatingRow.at < before),
        (SessionRow, and_(SessionRow.status == FINISHED,
                          func.coalesce(SessionRow.ended_at, SessionRow.started_at) < before)),
        (TriageDecisionRow, TriageDecisionRow.at < before),
        (ReminderRow, and_(ReminderRow.status.in_((SENT, MISSED, CANCELLED)),
                           ReminderRow.fire_at < before)),
        (QuestionRow, QuestionRow.answered_at < before),  # open questions stay
        (ProgramChangeRow, ProgramChangeRow.at < before),  # the program itself stays
        # Shared pages stopped or ended that long ago (their views went with them).
        (ShareLinkRow, func.coalesce(ShareLinkRow.revoked_at, ShareLinkRow.expires_at) < before),
        # Program links that expired that long ago (no one's: a program behind a hash).
        (ProgramLinkRow, ProgramLinkRow.expires_at < before),
    ]


class SqlRetention:
    """Implements Retention. Never commits."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def drop_warning_text(self, before: datetime, limit: int) -> int:
        """Clear the typed text of up to `limit` warning-sign decisions made before `before`
        (the decision, its level, rule and date stay); how many."""
        some = (select(TriageDecisionRow.id)
                .where(TriageDecisionRow.at < before, TriageDecisionRow.text.is_not(None))
                .limit(limit).scalar_subquery())
        result = await self._session.execute(
            update(TriageDecisionRow).where(TriageDecisionRow.id.in_(some)).values(text=None),
            execution_options={"synchronize_session": False})
        return _count(result)

    async def drop_history(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` rows of each kind of history older than `before`: pain
        ratings, finished sessions, warning-sign decisions, settled reminders, answered
        questions, program changes, shared pages closed, program links expired; how many
        in all."""
        removed = 0
        for table, old in _history(before):
            some = select(table.id).where(old).limit(limit).scalar_subquery()
            result = await self._session.execute(
                delete(table).where(table.id.in_(some)),
                execution_options={"synchronize_session": False})
            removed += _count(result)
        return removed

    async def blocked_since(self, before: datetime, limit: int) -> list[int]:
        """Telegram ids of up to `limit` people who have blocked the bot since before
        `before` (and not written since)."""
        query = (select(PersonRow.telegram_user_id)
                 .where(PersonRow.inactive == true(), PersonRow.inactive_since < before)
                 .order_by(PersonRow.inactive_since).limit(limit))
        return list((await self._session.execute(query)).scalars())


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
