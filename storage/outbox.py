"""The outbox: messages the scheduler owes people, kept until Telegram took them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.ports import OwedMessage
from storage.models import OutboxRow, PersonRow


class SqlOutbox:
    """Implements Outbox on the outbox table. Never commits."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def add(self, person_id: int, replies: str, due_at: datetime, now: datetime) -> int:
        """Owe this person these replies; its id. Until `due_at` it is the adder's to send."""
        result = await self._session.execute(
            insert(OutboxRow).values(person_id=person_id, replies=replies, done=0, attempts=0,
                                     due_at=due_at, created_at=now).returning(OutboxRow.id))
        return int(result.scalar_one())

    async def take_due(self, now: datetime, lease_until: datetime,
                       limit: int = 100) -> list[OwedMessage]:
        """Messages due at `now`, earliest first, each moved to `lease_until` (taken).

        FOR UPDATE SKIP LOCKED on PostgreSQL, so two processes never take the same one.
        """
        query = (
            select(OutboxRow.id, PersonRow.telegram_user_id, PersonRow.chat_id,
                   OutboxRow.replies, OutboxRow.done, OutboxRow.attempts)
            .join(PersonRow, PersonRow.id == OutboxRow.person_id)
            .where(OutboxRow.due_at <= now)
            .order_by(OutboxRow.due_at, OutboxRow.id)
            .limit(limit)
            .with_for_update(of=OutboxRow, skip_locked=True)
        )
        owed = [OwedMessage(*row) for row in (await self._session.execute(query)).tuples()]
        if owed:
            await self._session.execute(
                update(OutboxRow).where(OutboxRow.id.in_([item.id for item in owed]))
                .values(due_at=lease_until))
        return owed

    async def retry(self, item_id: int, done: int, due_at: datetime) -> None:
        """A try failed after `done` replies: try again from there at `due_at`."""
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == item_id)
            .values(done=done, attempts=OutboxRow.attempts + 1, due_at=due_at))

    async def remove(self, item_id: int) -> None:
        """Sent (or nobody to send it to): owed no more."""
        await self._session.execute(delete(OutboxRow).where(OutboxRow.id == item_id))
