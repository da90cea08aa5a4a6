"""Messages the scheduler owes people: written with the change that produced them, sent
right after, and tried again a few seconds later (by any process) until Telegram took them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.engine.replies import Reply
from bot.domain.model import Person
from bot.services.conversation import Outcome, keep, kept_outcome
from bot.services.ports import UnitOfWork

# How long the process that wrote (or took) a message has it to itself before another may
# send it: well past one try, even one waiting out a 429, and a crash costs a minute.
LEASE = timedelta(minutes=1)
# Tries after a failure: 1 s, 2 s, 4 s ... then every minute, for as long as it takes.
LONGEST_WAIT = 60.0


@dataclass(frozen=True)
class Delivery:
    """An outcome for one person's chat, produced by the scheduler rather than an update."""

    telegram_user_id: int
    chat_id: int
    outcome: Outcome
    outbox_id: int | None = None  # kept in the outbox until sent
    skip: int = 0  # replies already sent by an earlier try
    attempts: int = 0  # earlier tries that failed


async def owe(uow: UnitOfWork, person: Person, replies: list[Reply],
              now: datetime) -> Delivery:
    """Keep these replies in the outbox, in the caller's transaction; the delivery to send."""
    outcome = Outcome(replies, person.conversation.revision, person.language)
    assert person.id is not None, "only a stored person is owed a message"
    if not replies:
        return Delivery(person.telegram_user_id, person.chat_id, outcome)
    outbox_id = await uow.outbox.add(person.id, keep(outcome), now + LEASE, now)
    return Delivery(person.telegram_user_id, person.chat_id, outcome, outbox_id)


async def take_owed(new_uow: Callable[[], UnitOfWork], now: datetime,
                    limit: int = 100) -> list[Delivery]:
    """Messages whose earlier try failed (or whose process died) and are due again."""
    async with new_uow() as uow:
        owed = await uow.outbox.take_due(now, now + LEASE, limit)
        await uow.commit()
    return [Delivery(item.telegram_user_id, item.chat_id, kept_outcome(item.replies), item.id,
                     item.done, item.attempts) for item in owed]


async def delivered(new_uow: Callable[[], UnitOfWork], delivery: Delivery,
                    blocked: bool) -> None:
    """Telegram took it (or the person blocked the bot: marked inactive, like for reminders)."""
    async with new_uow() as uow:
        if delivery.outbox_id is not None:
            await uow.outbox.remove(delivery.outbox_id)
        if blocked:
            await uow.people.mark_inactive(delivery.telegram_user_id, True)
        await uow.commit()


async def retry_later(new_uow: Callable[[], UnitOfWork], delivery: Delivery, done: int,
                      now: datetime, at_least: float = 0.0) -> datetime:
    """A try failed after `done` replies: try again from there soon; when."""
    due = next_try(now, delivery.attempts + 1, at_least)
    if delivery.outbox_id is not None:
        async with new_uow() as uow:
            await uow.outbox.retry(delivery.outbox_id, done, due)
            await uow.commit()
    return due


def next_try(now: datetime, attempts: int, at_least: float = 0.0) -> datetime:
    """When to try again after `attempts` failures: doubling from a second, at most a
    minute, and never before a 429's retry_after (`at_least` seconds)."""
    wait = min(LONGEST_WAIT, 2.0 ** max(0, attempts - 1))
    return now + timedelta(seconds=max(wait, at_least))
