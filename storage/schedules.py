"""The scheduler's queries: running holds and due follow-ups, each walking its own index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PersonRow, SessionRow

ACTIVE = "active"


class SqlHoldSchedule:
    """Finds running holds for the scheduler's tick."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def people_holding(self, limit: int = 1000) -> list[int]:
        """Telegram user ids of people with an active session and a hold, soonest first."""
        if limit <= 0:
            return []
        rows = (await self._session.execute(people_holding_query(limit))).scalars()
        # One person should have one active session; should there be more, list them once.
        return list(dict.fromkeys(rows))


def people_holding_query(limit: int) -> Select[tuple[int]]:
    """The query behind people_holding; it walks ix_sessions_hold_deadline in order."""
    return (
        select(PersonRow.telegram_user_id)
        .join(SessionRow, SessionRow.person_id == PersonRow.id)
        .where(SessionRow.status == ACTIVE, SessionRow.hold_deadline.is_not(None))
        .order_by(SessionRow.hold_deadline, SessionRow.id)
        .limit(limit)
    )


class SqlFollowUpSchedule:
    """Finds due escalation follow-ups for the scheduler's tick."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def people_due(self, now: datetime, limit: int = 1000) -> list[int]:
        """Telegram user ids of people whose follow-up is due at or before `now`, earliest first.

        `now` must be timezone-aware. The follow-up stays due until the person is saved with
        follow_up cleared (or moved later), so a tick that fails is retried by the next one.
        """
        if limit <= 0:
            return []
        return list((await self._session.execute(people_due_query(now, limit))).scalars())


def people_due_query(now: datetime, limit: int) -> Select[tuple[int]]:
    """The query behind people_due; it walks ix_people_follow_up_due_at in order."""
    return (
        select(PersonRow.telegram_user_id)
        .where(PersonRow.follow_up_due_at <= now)
        .order_by(PersonRow.follow_up_due_at, PersonRow.id)
        .limit(limit)
    )
