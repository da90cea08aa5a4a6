"""The scheduler's tick: ends due holds, edits hold countdowns a few seconds apart, and
sends the day-after follow-ups, through the outbox (tried again until Telegram takes them).
Reminders have their own job (bot.telegram.dispatcher)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services.holds import (
    Countdown,
    follow_up_tick,
    hold_tick,
    remember_message,
)
from bot.services.outbox import Delivery, delivered, retry_later, take_owed
from bot.services.retention import prune
from bot.telegram.dispatcher import ReminderDispatcher
from bot.telegram.outbound import DeliveryInterrupted, deliver, interruption
from bot.telegram.ports import Ports

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
# Countdown edits this far apart keep a chat far below Telegram's ~1 message/second.
COUNTDOWN_STEP_SECONDS = 5
PRUNE_EVERY = timedelta(hours=1)  # retention is counted in hours and days


class HoldTicker:
    """Runs every second from the job queue; tests call tick() after moving their clock."""

    def __init__(self, ports: Ports, reminders: ReminderDispatcher | None = None) -> None:
        self.ports = ports
        # Cosmetic only (which countdown value a message shows), so process memory is fine:
        # after a restart the worst case is one extra edit.
        self._shown: dict[tuple[int, datetime], int] = {}
        self._busy = False
        self._pruned_at: datetime | None = None
        self.reminders = reminders or ReminderDispatcher(ports)

    @property
    def worker(self) -> str:
        """The name this process's reminder claims carry."""
        return self.reminders.worker

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job-queue callback; a tick still running (under heavy load) is not doubled."""
        if self._busy:
            return
        self._busy = True
        try:
            await self.tick_holds(context.bot)
        finally:
            self._busy = False

    async def tick(self, bot: Bot) -> None:
        """One second of the scheduler as tests drive it: holds, then due reminders."""
        await self.tick_holds(bot)
        await self.reminders.dispatch(bot)

    async def tick_holds(self, bot: Bot) -> None:
        """End due holds (new message: the phone notifies) and update countdowns."""
        ports = self.ports
        now = ports.clock.now()
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            pruned = await prune(ports.unit_of_work, now, ports.retention)
            if any(vars(pruned).values()):
                log.info("pruned what is kept no longer", extra=vars(pruned))
        ended, countdowns = await hold_tick(ports.unit_of_work, ports.content.catalog, now)
        ended += await follow_up_tick(ports.unit_of_work, ports.content.catalog, now)
        # Then what an earlier try (of any process) failed to send, due again now.
        ended += await take_owed(ports.unit_of_work, now)
        for delivery in ended:
            await self._send_owed(bot, delivery)
        live = {(c.telegram_user_id, c.deadline) for c in countdowns}
        self._shown = {key: value for key, value in self._shown.items() if key in live}
        for item in countdowns:
            await self._show(bot, item)

    async def _send_owed(self, bot: Bot, delivery: Delivery) -> None:
        """Send one owed message; on failure it stays owed and is tried again shortly."""
        ports = self.ports
        texts = ports.content.locales.texts(delivery.outcome.language)
        try:
            sent = await deliver(bot, delivery.chat_id, delivery.outcome, texts,
                                 skip=delivery.skip)
        except (DeliveryInterrupted, TelegramError) as exc:
            cut = interruption(exc, delivery.skip)
            due = await retry_later(ports.unit_of_work, delivery, cut.done, ports.clock.now(),
                                    cut.wait_asked)
            log.warning("scheduled message not delivered (%s); tried again at %s", cut.why,
                        due.strftime("%H:%M:%S"))
            return
        await delivered(ports.unit_of_work, delivery, sent.blocked)
        for tag, message_id in sent.tagged.items():
            await remember_message(ports.unit_of_work(), delivery.telegram_user_id, tag,
                                   message_id)

    async def _show(self, bot: Bot, item: Countdown) -> None:
        key = (item.telegram_user_id, item.deadline)
        shown = self._shown.setdefault(key, item.seconds_total)
        if item.seconds_left > shown - COUNTDOWN_STEP_SECONDS:
            return
        self._shown[key] = item.seconds_left
        texts = self.ports.content.locales.texts(item.outcome.language)
        try:
            await deliver(bot, item.chat_id, item.outcome, texts)
        except (DeliveryInterrupted, TelegramError) as exc:
            # Cosmetic, and the next one is five seconds away: not worth a retry.
            log.info("countdown edit skipped: %s", type(exc).__name__)
