"""The SQL update log: which Telegram update ids were already applied."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, insert, select
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

    async def record(self, update_id: int, at: datetime) -> None:
        """Record the update id now; a concurrent duplicate fails with IntegrityError."""
        await self._session.execute(
            insert(ProcessedUpdateRow).values(update_id=update_id, processed_at=at)
        )

    async def prune(self, before: datetime) -> int:
        """Forget update ids handled before `before`; how many were removed."""
        result = await self._session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.processed_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)
