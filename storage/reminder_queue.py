"""The reminder queue: the scheduler's tick claims due reminders, then settles them.

Claims are atomic. On PostgreSQL the claim selects with FOR UPDATE SKIP LOCKED, so two
processes claiming at the same moment take disjoint rows, and neither waits for the other
nor for a handler that has a person's pending reminders loaded (storage.reminder_sync locks
them). On SQLite every transaction is a writer from its first statement (BEGIN IMMEDIATE,
see storage.db), so claims simply run one after the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.ports import ClaimedReminder
from storage.models import PersonRow, ReminderRow
from storage.reminder_mapping import CANCELLED, CLAIMED, MISSED, PENDING, SENT

# What mark() may set: the end of a claim, or its release.
MARKS = frozenset({SENT, MISSED, CANCELLED, PENDING})
WORKER_LENGTH = 64

DueRow = tuple[int, int, int, str, datetime]


class SqlReminderQueue:
    """Implements ReminderQueue on the reminders table. Never commits."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`."""
        self._session = session

    async def claim_due(
        self, now: datetime, worker: str, limit: int = 500
    ) -> list[ClaimedReminder]:
        """Claim up to `limit` reminders pending with fire_at <= now, earliest first.

        Each becomes "claimed" with claimed_at `now` and claimed_by `worker`. Commit the unit
        of work before sending, so that the claim outlives a crash in the middle of sending
        (release_stale_claims then puts it back). Reminders of inactive people are not
        claimed: they stay pending until the person is active again.
        """
        if len(worker) > WORKER_LENGTH:
            raise ValueError(f"worker name longer than {WORKER_LENGTH} characters")
        if limit <= 0:
            return []
        due = (await self._session.execute(due_query(now, limit))).tuples().all()
        if not due:
            return []
        result = await self._session.execute(
            update(ReminderRow)
            # The status check is redundant with the row locks (PostgreSQL) or the single
            # writer (SQLite); with RETURNING it makes sure that only what this update
            # moved to claimed is handed out, whatever the isolation.
            .where(ReminderRow.id.in_([row[0] for row in due]), ReminderRow.status == PENDING)
            .values(status=CLAIMED, claimed_at=now, claimed_by=worker)
            .returning(ReminderRow.id),
            execution_options={"synchronize_session": "fetch"},
        )
        moved = set(result.scalars())
        return [
            ClaimedReminder(
                id=reminder_id,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                kind=kind,
                fire_at=fire_at,
            )
            for reminder_id, telegram_user_id, chat_id, kind, fire_at in due
            if reminder_id in moved
        ]

    async def mark(self, reminder_id: int, status: str, at: datetime) -> None:
        """Settle a claimed (or released) reminder; others, and unknown ids, are left alone.

        sent stores `at` as sent_at; pending releases the claim (claimed_at, claimed_by
        cleared) so the next tick claims it again; missed and cancelled keep the claim's
        columns for the audit trail. A reminder already settled (sent, missed, cancelled)
        is never changed, nor is one deleted with its person meanwhile.
        """
        if status not in MARKS:
            raise ValueError(f"reminder status {status!r}: mark takes one of {sorted(MARKS)}")
        if at.tzinfo is None:
            raise ValueError(f"naive datetime {at!r}: pass a timezone-aware time")
        values: dict[str, Any] = {"status": status}
        if status == SENT:
            values["sent_at"] = at
        elif status == PENDING:
            values.update(claimed_at=None, claimed_by=None)
        await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.id == reminder_id, ReminderRow.status.in_((CLAIMED, PENDING)))
            .values(**values),
            execution_options={"synchronize_session": "fetch"},
        )

    async def renew(self, reminder_id: int, worker: str, at: datetime) -> bool:
        """Confirm the claim is still this worker's and refresh it, right before sending.

        False means another process released and took it (we were too slow): skip it.
        """
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.id == reminder_id, ReminderRow.status == CLAIMED,
                   ReminderRow.claimed_by == worker)
            .values(claimed_at=at)
            .returning(ReminderRow.id)
        )
        return result.first() is not None

    async def release_stale_claims(self, older_than: datetime) -> int:
        """Put reminders claimed before `older_than` back to pending; how many there were.

        Such a claim was left by a process that died (or hung) while sending: its reminders
        are sent again, possibly a second time, but never lost.
        """
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.status == CLAIMED, ReminderRow.claimed_at < older_than)
            .values(status=PENDING, claimed_at=None, claimed_by=None),
            execution_options={"synchronize_session": "fetch"},
        )
        return int(getattr(result, "rowcount", 0) or 0)


    async def release_worker(self, worker: str) -> int:
        """Put every reminder `worker` still holds claimed back to pending; how many.

        A process shutting down cleanly calls this, so its unsent claims go out at the next
        tick of any process instead of after the stale-claim wait.
        """
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.status == CLAIMED, ReminderRow.claimed_by == worker)
            .values(status=PENDING, claimed_at=None, claimed_by=None),
            execution_options={"synchronize_session": "fetch"},
        )
        return int(getattr(result, "rowcount", 0) or 0)


def due_query(now: datetime, limit: int) -> Select[DueRow]:
    """The claim's select: due pending reminders of active people, earliest first.

    It walks ix_reminders_status_fire_at in order. FOR UPDATE OF reminders SKIP LOCKED on
    PostgreSQL (people rows are not locked; handlers lock those); SQLite omits the clause.
    """
    return (
        select(
            ReminderRow.id,
            PersonRow.telegram_user_id,
            PersonRow.chat_id,
            ReminderRow.kind,
            ReminderRow.fire_at,
        )
        .join(PersonRow, PersonRow.id == ReminderRow.person_id)
        .where(
            ReminderRow.status == PENDING,
            ReminderRow.fire_at <= now,
            PersonRow.inactive == false(),
        )
        .order_by(ReminderRow.fire_at, ReminderRow.id)
        .limit(limit)
        .with_for_update(of=ReminderRow, skip_locked=True)
    )
