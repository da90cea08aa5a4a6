"""The naive design the reminder benchmark compares with.

Naive: one APScheduler 3 job per person, a cron trigger at their local time on their days in
their zone, in the AsyncIOScheduler that PTB's job queue wraps. The scheduler is started
paused, so jobs get their next run time as in service but none fires during the benchmark.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.domain.reminders.schedule import zone
from tests.bench.reminders_people import Plan


async def send_reminder(telegram_user_id: int, chat_id: int) -> None:
    """What each naive job would run; never called here (the scheduler stays paused)."""
    raise AssertionError("the naive scheduler is paused and must not fire")


def job_id(plan: Plan) -> str:
    """A naive job's id: the person's Telegram id."""
    return str(plan.telegram_user_id)


def cron_trigger(plan: Plan) -> CronTrigger:
    """Their local time on their weekdays (0 is Monday in both APScheduler and ours)."""
    return CronTrigger(day_of_week=",".join(map(str, plan.days)), hour=plan.local.hour,
                       minute=plan.local.minute, timezone=zone(plan.zone))


def paused_scheduler() -> AsyncIOScheduler:
    """A running but paused scheduler on the current event loop (call from a coroutine)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.start(paused=True)
    return scheduler


def add_jobs(scheduler: AsyncIOScheduler, people: Sequence[Plan]) -> None:
    """One job per person: what a bot without a reminders table does at every start."""
    for plan in people:
        scheduler.add_job(send_reminder, cron_trigger(plan), args=(plan.telegram_user_id,
                          plan.telegram_user_id), id=job_id(plan), name="reminder")


def mean_lookup_seconds(scheduler: AsyncIOScheduler, ids: Sequence[str]) -> tuple[float, int]:
    """Mean seconds of scheduler.get_job by id, and how many of the ids were found."""
    found = 0
    started = time.perf_counter()
    for one in ids:
        if scheduler.get_job(one) is not None:
            found += 1
    return (time.perf_counter() - started) / max(1, len(ids)), found
