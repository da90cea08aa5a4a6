"""The scheduler's tick: ends due holds, edits hold countdowns a few seconds apart, and
sends the day-after follow-ups. Reminders have their own job (bot.telegram.dispatcher)."""

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
    prune_update_log,
    remember_message,
)
from bot.telegram.dispatcher import ReminderDispatcher
from bot.telegram.outbound import deliver
from bot.wiring import Deps

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
# Countdown edits this far apart keep a chat far below Telegram's ~1 message/second.
COUNTDOWN_STEP_SECONDS = 5
# Telegram redelivers an update for at most a day; a week of ids is plenty to deduplicate.
KEEP_UPDATE_IDS = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)


class HoldTicker:
    """Runs every second from the job queue; tests call tick() after moving their clock."""

    def __init__(self, deps: Deps, reminders: ReminderDispatcher | None = None) -> None:
        self.deps = deps
        # Cosmetic only (which countdown value a message shows), so process memory is fine:
        # after a restart the worst case is one extra edit.
        self._shown: dict[tuple[int, datetime], int] = {}
        self._busy = False
        self._pruned_at: datetime | None = None
        self.reminders = reminders or ReminderDispatcher(deps)

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
        deps = self.deps
        now = deps.clock.now()
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            await prune_update_log(deps.unit_of_work, now - KEEP_UPDATE_IDS)
        ended, countdowns = await hold_tick(deps.unit_of_work, deps.content.catalog, now)
        ended += await follow_up_tick(deps.unit_of_work, deps.content.catalog, now)
        locales = deps.content.locales
        for delivery in ended:
            try:
                delivered = await deliver(bot, delivery.chat_id, delivery.outcome,
                                          locales.texts(delivery.outcome.language))
            except TelegramError as exc:
                log.warning("hold end not delivered: %s", type(exc).__name__)
                continue
            for tag, message_id in delivered.tagged.items():
                await remember_message(deps.unit_of_work(), delivery.telegram_user_id, tag,
                                       message_id)
        live = {(c.telegram_user_id, c.deadline) for c in countdowns}
        self._shown = {key: value for key, value in self._shown.items() if key in live}
        for item in countdowns:
            await self._show(bot, item)

    async def _show(self, bot: Bot, item: Countdown) -> None:
        key = (item.telegram_user_id, item.deadline)
        shown = self._shown.setdefault(key, item.seconds_total)
        if item.seconds_left > shown - COUNTDOWN_STEP_SECONDS:
            return
        self._shown[key] = item.seconds_left
        texts = self.deps.content.locales.texts(item.outcome.language)
        try:
            await deliver(bot, item.chat_id, item.outcome, texts)
        except TelegramError as exc:
            log.info("countdown edit skipped: %s", type(exc).__name__)
