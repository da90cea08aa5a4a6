"""The SQL update log: which Telegram update ids were already applied.

Every update runs these statements, so they are Core statements on the table, built once:
the ORM's bookkeeping (and building and hashing a statement per call) bought nothing here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Table,
    any_,
    bindparam,
    delete,
    exists,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.models import ProcessedUpdateRow
from storage.sqlite_hops import write_later

_TABLE: Table = ProcessedUpdateRow.__table__  # type: ignore[assignment]
_ID = _TABLE.c.update_id


# Text, the same on both databases: SQLAlchemy never caches the dialects' own INSERT
# constructs (the ones with ON CONFLICT), so built with them the claim was compiled anew
# for every update (6% of the bot's CPU in the load benchmark's profile on PostgreSQL).
_CLAIM = text(
    f"INSERT INTO {_TABLE.name} ({_ID.name}, {_TABLE.c.processed_at.name}) VALUES (:id, :at) "
    f"ON CONFLICT ({_ID.name}) DO NOTHING RETURNING {_ID.name}"
).bindparams(bindparam("id", type_=_ID.type),
             bindparam("at", type_=_TABLE.c.processed_at.type))
_KEEP = update(_TABLE).where(bindparam("id") == _ID).values(replies=bindparam("replies"),
                                                            telegram_user_id=bindparam("user"))
_UNSENT = select(_TABLE.c.replies).where(bindparam("id") == _ID, _TABLE.c.replied_at.is_(None))
# Sent: the answer goes, and with it the only link between the update and the person.
# On PostgreSQL one array parameter: an IN list is a new statement for every count of ids,
# and each new statement is prepared on each pooled connection (a round trip).
_MARK_VALUES: dict[str, object] = {"replied_at": bindparam("at"), "replies": None,
                                   "telegram_user_id": None}
_MARK = {
    "postgresql": update(_TABLE).where(
        _ID == any_(bindparam("ids", type_=postgresql.ARRAY(BigInteger)))  # noqa: SIM300
    ).values(_MARK_VALUES),
    "sqlite": update(_TABLE).where(_ID.in_(bindparam("ids", expanding=True)))
    .values(_MARK_VALUES),
}


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
        found = await self._session.execute(_CLAIM, {"id": update_id, "at": at})
        return found.first() is not None

    async def keep_replies(self, update_id: int, replies: str, telegram_user_id: int) -> None:
        """Store the answer of the update claimed in this transaction, until it is sent,
        with whose it is."""
        await write_later(self._session, _KEEP, {"id": update_id, "replies": replies,
                                                 "user": telegram_user_id})

    async def forget_replies(self, telegram_user_id: int) -> int:
        """Drop every answer still kept for this person (/forget); how many."""
        result = await self._session.execute(
            update(_TABLE).where(ProcessedUpdateRow.telegram_user_id == telegram_user_id)
            .values(replies=None, telegram_user_id=None))
        return int(getattr(result, "rowcount", 0) or 0)

    async def drop_unsent(self, before: datetime) -> int:
        """Drop answers kept since before `before` and never sent; how many.

        Telegram stops offering an update a day after it was sent, so an older answer
        would never be asked for again: it only kept what was said.
        """
        result = await self._session.execute(
            update(_TABLE).where(_TABLE.c.processed_at < before, _TABLE.c.replies.is_not(None))
            .values(replies=None, telegram_user_id=None))
        return int(getattr(result, "rowcount", 0) or 0)

    async def unsent_replies(self, update_id: int) -> str | None:
        """The stored answer of an applied update that was never marked sent, if any."""
        return (await self._session.execute(_UNSENT, {"id": update_id})).scalar_one_or_none()

    async def mark_replied(self, update_ids: Collection[int], at: datetime) -> None:
        """The answers of these updates went out: drop them, keep the ids."""
        if update_ids:
            mark = _MARK[self._session.get_bind().dialect.name]
            await write_later(self._session, mark, {"ids": list(update_ids), "at": at})

    async def prune(self, before: datetime) -> int:
        """Forget update ids handled before `before`; how many were removed."""
        result = await self._session.execute(
            delete(ProcessedUpdateRow).where(ProcessedUpdateRow.processed_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def last_update_id(engine: AsyncEngine) -> int:
    """The highest update id still remembered (0: none): above it, no id looks like a repeat."""
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.max(_ID))) or 0)
