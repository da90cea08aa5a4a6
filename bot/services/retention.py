"""Removing what is kept no longer than the retention settings allow, on the tick."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config.settings import Settings
from bot.services.ports import UnitOfWork

# Telegram redelivers an update for a day at most; a week of ids is plenty to deduplicate.
KEEP_UPDATE_IDS = timedelta(days=7)
BATCH = 500  # rows per statement: each transaction stays short, even on a first prune


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept (README, "Retention", says why)."""

    warning_text: timedelta = timedelta(days=90)
    replies: timedelta = timedelta(hours=24)
    history: timedelta = timedelta(days=365)
    blocked: timedelta | None = None  # None: people who blocked the bot are kept
    update_ids: timedelta = KEEP_UPDATE_IDS


def policy(settings: Settings) -> RetentionPolicy:
    """The policy the settings ask for."""
    blocked = settings.forget_blocked_after_days
    return RetentionPolicy(
        warning_text=timedelta(days=settings.keep_warning_text_days),
        replies=timedelta(hours=settings.keep_replies_hours),
        history=timedelta(days=settings.keep_history_days),
        blocked=timedelta(days=blocked) if blocked else None)


@dataclass
class Pruned:
    """What one prune removed, by kind (counts only, for the log)."""

    update_ids: int = 0
    replies: int = 0
    warning_texts: int = 0
    history_rows: int = 0
    people: int = 0


async def prune(new_uow: Callable[[], UnitOfWork], now: datetime,
                policy: RetentionPolicy, batch: int = BATCH) -> Pruned:
    """Remove everything older than the policy allows, a short transaction per batch."""
    pruned = Pruned()
    async with new_uow() as uow:
        pruned.update_ids = await uow.updates.prune(now - policy.update_ids)
        pruned.replies = await uow.updates.drop_unsent(now - policy.replies)
        await uow.commit()
    pruned.warning_texts = await _batches(new_uow, lambda uow: uow.retention.drop_warning_text(
        now - policy.warning_text, batch), batch)
    pruned.history_rows = await _batches(new_uow, lambda uow: uow.retention.drop_history(
        now - policy.history, batch), batch)
    if policy.blocked is not None:
        pruned.people = await _forget_blocked(new_uow, now - policy.blocked, batch)
    return pruned


async def _batches(new_uow: Callable[[], UnitOfWork],
                   step: Callable[[UnitOfWork], Awaitable[int]], batch: int) -> int:
    total = 0
    while True:
        async with new_uow() as uow:
            done = await step(uow)
            await uow.commit()
        total += done
        if done < batch:
            return total


async def _forget_blocked(new_uow: Callable[[], UnitOfWork], before: datetime,
                          batch: int) -> int:
    async with new_uow() as uow:
        gone = await uow.retention.blocked_since(before, batch)
    for telegram_user_id in gone:
        # One transaction each, as /forget: their row lock waits for anything in progress.
        async with new_uow() as uow:
            await uow.people.delete_person(telegram_user_id)
            await uow.updates.forget_replies(telegram_user_id)
            await uow.commit()
    return len(gone)
