"""The SQL unit of work: one session and transaction per `async with`."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.ports import (
    FollowUpSchedule,
    HoldSchedule,
    Outbox,
    PeopleRepository,
    ProgramLinks,
    ReminderQueue,
    Retention,
    ShareLinks,
    UpdateLog,
)
from storage.outbox import SqlOutbox
from storage.program_links import SqlProgramLinks
from storage.reminder_queue import SqlReminderQueue
from storage.repositories import Clock, SqlPeopleRepository, SqlUpdateLog, utc_now
from storage.retention import SqlRetention
from storage.schedules import SqlFollowUpSchedule, SqlHoldSchedule
from storage.share_links import SqlShareLinks


class SqlUnitOfWork:
    """Implements UnitOfWork; reusable, each `async with` opens a fresh session."""

    # Typed as the ports (not the Sql classes) because protocol attributes are invariant.
    people: PeopleRepository
    updates: UpdateLog
    holds: HoldSchedule
    follow_ups: FollowUpSchedule
    reminders: ReminderQueue
    outbox: Outbox
    retention: Retention
    links: ProgramLinks
    shares: ShareLinks

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock = utc_now,
        write_gate: asyncio.Lock | None = None,
    ) -> None:
        """Open sessions from `session_factory`; `clock` is the repositories' now.

        It stamps conversation updates and ends the window of Person.recent_pain.
        """
        self._session_factory = session_factory
        self._clock = clock
        # SQLite has one writer at a time: queueing here, in the event loop, replaces a
        # busy-wait in the driver's threads that can run out its timeout under load.
        self._gate = write_gate
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        """Start a session; the transaction begins with the first statement."""
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; nest a new one instead")
        if self._gate is not None:
            await self._gate.acquire()
        self._session = self._session_factory()
        self.people = SqlPeopleRepository(self._session, self._clock)
        self.updates = SqlUpdateLog(self._session)
        self.holds = SqlHoldSchedule(self._session)
        self.follow_ups = SqlFollowUpSchedule(self._session)
        self.reminders = SqlReminderQueue(self._session)
        self.outbox = SqlOutbox(self._session)
        self.retention = SqlRetention(self._session)
        self.links = SqlProgramLinks(self._session)
        self.shares = SqlShareLinks(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and release the connection."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            # After a commit no transaction is open, so this is a no-op then.
            await session.rollback()
        finally:
            try:
                await session.close()
            finally:
                if self._gate is not None:
                    self._gate.release()

    @property
    def session(self) -> AsyncSession:
        """The open session, for queries that have no repository yet."""
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session

    async def commit(self) -> None:
        """Make the changes durable."""
        await self.session.commit()

    async def rollback(self) -> None:
        """Drop the changes made since the last commit."""
        await self.session.rollback()


if TYPE_CHECKING:
    from bot.services.ports import UnitOfWork

    _conforms: type[UnitOfWork] = SqlUnitOfWork
