"""The reminder dispatcher: claims due reminders a small chunk at a time and sends them,
applying the next chunk while the current one goes out.

Claiming and applying (the database) and sending (Telegram, paced by the limiter) overlap,
so a wave of reminders due in the same minute leaves at the limiter's rate instead of
stopping for every batch. It runs as its own job, so a long wave never delays a hold.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import socket
import uuid
from datetime import datetime

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services.outbox import next_try
from bot.services.reminders import (
    ReminderDelivery,
    release_claims,
    reminder_delivered,
    reminder_tick,
    still_ours,
)
from bot.telegram.outbound import DeliveryInterrupted, deliver, interruption
from bot.telegram.ports import Ports

log = logging.getLogger(__name__)

HOST = f"{socket.gethostname()}:{os.getpid()}"
# Sends in flight at once: enough to keep the limiter's pace when each call takes a
# Telegram round trip (~100 ms from a far server), few enough to stay kind to the pool.
SENDERS = 8
_DONE = None


def chunk_for(global_rate: float) -> int:
    """Reminders claimed at a time: about a second of sending, so few are ever held claimed."""
    return max(10, min(500, int(global_rate)))


class ReminderDispatcher:
    """Sends every reminder due now; the job queue calls job() every second."""

    def __init__(self, ports: Ports, chunk: int | None = None) -> None:
        self.ports = ports
        self.chunk = chunk or chunk_for(ports.settings.rate_limit_global)
        # Names this dispatcher's claims: unique per process, and per bot within a process.
        self.worker = f"{HOST}:{uuid.uuid4().hex[:8]}"
        self._busy = False
        self._stopping = False
        self._senders: set[asyncio.Task[None]] = set()
        # Sends Telegram cut short, with when to try again. Their claims stay ours (renewed
        # at every try), so the stale-claim sweep leaves them; a crash hands them to it.
        self._retries: list[tuple[datetime, ReminderDelivery]] = []

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job-queue callback; a wave still going is not started twice."""
        if self._busy or self._stopping:
            return
        self._busy = True
        try:
            await self.dispatch(context.bot)
        finally:
            self._busy = False

    async def dispatch(self, bot: Bot) -> int:
        """Send what is due until nothing is; how many reminders were claimed."""
        queue: asyncio.Queue[ReminderDelivery | None] = asyncio.Queue(maxsize=self.chunk)
        async with asyncio.TaskGroup() as group:
            claiming = group.create_task(self._claim_and_apply(queue))
            for _ in range(SENDERS):
                sender = group.create_task(self._send_from(bot, queue))
                self._senders.add(sender)
                sender.add_done_callback(self._senders.discard)
        return claiming.result()

    def stop(self) -> None:
        """Claim and start sending nothing more: the wave under way ends with the sends in
        flight, so shutting down never waits for it; release() then hands back the rest."""
        self._stopping = True

    async def wind_down(self, grace: float) -> None:
        """stop(), give the sends in flight `grace` seconds, then cancel those still waiting
        (for the limiter, or a 429's retry_after). A cancelled send may have reached
        Telegram: it is released with the rest and may repeat, as a crash would allow."""
        self.stop()
        if self._senders:
            await asyncio.wait(set(self._senders), timeout=grace)
        for task in list(self._senders):
            task.cancel()

    async def release(self) -> int:
        """On shutdown: hand this process's unsent claims back, so another sends them now."""
        return await release_claims(self.ports.unit_of_work, self.worker)

    async def _claim_and_apply(self, queue: asyncio.Queue[ReminderDelivery | None]) -> int:
        ports = self.ports
        total = 0
        while not self._stopping:
            for retry in self._due_retries():
                await queue.put(retry)
            claim = await reminder_tick(ports.unit_of_work, ports.content.catalog,
                                        ports.clock.now(), self.worker, self.chunk)
            total += claim.claimed
            ports.metrics.reminders.labels("missed").inc(claim.missed)
            for delivery in claim.deliveries:
                await queue.put(delivery)
            if claim.claimed < self.chunk:
                break  # nothing more was due
        # Only on the way out normally: on an error the task group cancels the senders.
        for _ in range(SENDERS):
            await queue.put(_DONE)
        return total

    def _due_retries(self) -> list[ReminderDelivery]:
        now = self.ports.clock.now()
        due = [item for when, item in self._retries if when <= now]
        self._retries = [(when, item) for when, item in self._retries if when > now]
        return due

    async def _send_from(self, bot: Bot, queue: asyncio.Queue[ReminderDelivery | None]) -> None:
        while (item := await queue.get()) is not _DONE:
            await self._send(bot, item)

    async def _send(self, bot: Bot, item: ReminderDelivery) -> None:
        ports = self.ports
        if self._stopping:
            return  # left claimed for release(), or for the stale-claim sweep
        if not await still_ours(ports.unit_of_work, item, self.worker, ports.clock.now()):
            return  # released while we were slow; another process sends it
        texts = ports.content.locales.texts(item.outcome.language)
        try:
            delivered = await deliver(bot, item.chat_id, item.outcome, texts, skip=item.skip)
        except (DeliveryInterrupted, TelegramError) as exc:
            # One failure never stops the wave: this one is tried again in a few seconds,
            # from the reply that failed, while the others go on.
            cut = interruption(exc, item.skip)
            attempts = item.attempts + 1
            due = next_try(ports.clock.now(), attempts, cut.wait_asked)
            self._retries.append(
                (due, dataclasses.replace(item, skip=cut.done, attempts=attempts)))
            log.warning("reminder not delivered (%s); tried again at %s", cut.why,
                        due.strftime("%H:%M:%S"))
            ports.metrics.reminders.labels("failed").inc()
            return
        await reminder_delivered(ports.unit_of_work, item, ports.clock.now(), delivered.blocked)
        outcome = "blocked" if delivered.blocked else "late" if item.late else "sent"
        ports.metrics.reminders.labels(outcome).inc()
