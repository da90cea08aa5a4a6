"""The SQL update log: which Telegram update ids were already applied."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdateRow


class SqlUpdateLog:
    """Remembers applied Telegram update ids in the processed_updates table."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def seen(self, update_id: int) -> bool:
        """True when this update id was recorded before."""
        query = select(exists().where(ProcessedUpdateRow.update_id == update_id))
        return bool((await self._session.execute(query)).scalar())

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Record the update id; False when it was recorded already (or is being recorded).

        The first statement of an update's transaction. A second process handling the same
        update at the same moment (a webhook Telegram redelivered to another replica) waits
        here on PostgreSQL until the first commits, then gets False: the update is applied
        once. If the first rolls back, the second goes ahead.
        """
        dialect = self._session.get_bind().dialect.name
        build = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (build(ProcessedUpdateRow)
                     .values(update_id=update_id, processed_at=at)
                     .on_conflict_do_nothing(index_elements=[ProcessedUpdateRow.update_id])
                     .returning(ProcessedUpdateRow.update_id))
        return (await self._session.execute(statement)).first() is not None

    async def keep_replies(self, update_id: int, replies: str) -> None:
        """Store the answer of the update claimed in this transaction, until it is sent."""
        await self._session.execute(
            update(ProcessedUpdateRow).where(ProcessedUpdateRow.update_id == update_id)
            .values(replies=replies))

    async def unsent_replies(self, update_id: int) -> str | None:
        """The stored answer of an applied update that was never marked sent, if any."""
        query = select(ProcessedUpdateRow.replies).where(
            ProcessedUpdateRow.update_id == update_id, ProcessedUpdateRow.replied_at.is_(None))
        return (await self._session.execute(query)).scalar_one_or_none()

    async def mark_replied(self, update_id: int, at: datetime) -> None:
        """The answer went out: drop it, keep the id."""
        await self._session.execute(
            update(ProcessedUpdateRow).where(ProcessedUpdateRow.update_id == update_id)
            .values(replied_at=at, replies=None))

    async def prune(self, before: datetime) -> int:
        """Forget update ids handled before `before`; how many were removed."""
        result = await self._session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.processed_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)
