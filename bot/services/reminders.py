"""The reminder tick: claim what is due (atomically, so two processes never both send it),
say it, and record whether it went out, was missed, or found the bot blocked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.catalog import Catalog
from bot.domain.engine.events import ReminderDue
from bot.domain.reminders.schedule import late_policy
from bot.domain.routing import router as conversation
from bot.services.conversation import Outcome
from bot.services.ports import UnitOfWork

# A claim older than this was left by a process that died mid-send: send it again.
STALE_CLAIM = timedelta(minutes=5)
LATE = timedelta(minutes=1)  # later than this, a reminder counts as late in the metrics


@dataclass(frozen=True)
class ReminderDelivery:
    """A reminder to send now, and whose it is."""

    reminder_id: int
    telegram_user_id: int
    chat_id: int
    outcome: Outcome
    late: bool = False  # sent more than a minute after it was due
    skip: int = 0  # replies already sent by an earlier try that Telegram cut short
    attempts: int = 0  # earlier tries that failed


@dataclass(frozen=True)
class Claim:
    """What one claim took: how many reminders, and those to send now (the rest were missed,
    or their person is gone)."""

    claimed: int
    deliveries: list[ReminderDelivery]
    missed: int = 0  # over an hour late: recorded, not sent


async def reminder_tick(new_uow: Callable[[], UnitOfWork], catalog: Catalog, now: datetime,
                        worker: str, limit: int = 500) -> Claim:
    """Claim up to `limit` due reminders; apply each to its person in its own transaction."""
    async with new_uow() as uow:
        await uow.reminders.release_stale_claims(now - STALE_CLAIM)
        claimed = await uow.reminders.claim_due(now, worker, limit)
        await uow.commit()
    deliveries: list[ReminderDelivery] = []
    missed_count = 0
    for item in claimed:
        missed = late_policy(item.fire_at, now) == "missed"
        missed_count += missed
        async with new_uow() as uow:
            person = await uow.people.get(item.telegram_user_id)
            if person is None:
                await uow.reminders.mark(item.id, "cancelled", now)
                await uow.commit()
                continue
            replies = conversation.handle(
                person, ReminderDue(item.id, item.kind, item.fire_at, missed), catalog, now)
            await uow.people.save(person)
            if missed or not replies:
                await uow.reminders.mark(item.id, "missed" if missed else "sent", now)
            await uow.commit()
        if replies and not missed:
            deliveries.append(ReminderDelivery(item.id, item.telegram_user_id, person.chat_id,
                                               Outcome(replies, person.conversation.revision,
                                                       person.language),
                                               late=now - item.fire_at > LATE))
    return Claim(len(claimed), deliveries, missed_count)


async def still_ours(new_uow: Callable[[], UnitOfWork], delivery: ReminderDelivery,
                     worker: str, now: datetime) -> bool:
    """Right before sending: is the claim still ours? (A slow process may have lost it.)"""
    async with new_uow() as uow:
        ours = await uow.reminders.renew(delivery.reminder_id, worker, now)
        await uow.commit()
    return ours


async def reminder_delivered(new_uow: Callable[[], UnitOfWork], delivery: ReminderDelivery,
                             now: datetime, blocked: bool) -> None:
    """Record the send; a person who blocked the bot is not tried again until they write."""
    async with new_uow() as uow:
        await uow.reminders.mark(delivery.reminder_id, "missed" if blocked else "sent", now)
        if blocked:
            await uow.people.mark_inactive(delivery.telegram_user_id, True)
        await uow.commit()


async def release_claims(new_uow: Callable[[], UnitOfWork], worker: str) -> int:
    """Put this worker's unsent claims back to pending (a clean shutdown); how many."""
    async with new_uow() as uow:
        released = await uow.reminders.release_worker(worker)
        await uow.commit()
    return released
