"""The scheduler's tick: ends due holds, edits hold countdowns a few seconds apart, and
sends the day-after follow-ups."""

from __future__ import annotations

import logging
import os
import socket
import uuid
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
from bot.services.reminders import reminder_delivered, reminder_tick, still_ours
from bot.telegram.outbound import deliver
from bot.wiring import Deps

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
# Countdown edits this far apart keep a chat far below Telegram's ~1 message/second.
COUNTDOWN_STEP_SECONDS = 5
# Telegram redelivers an update for at most a day; a week of ids is plenty to deduplicate.
KEEP_UPDATE_IDS = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)
HOST = f"{socket.gethostname()}:{os.getpid()}"


class HoldTicker:
    """Runs every second from the job queue; tests call tick() after moving their clock."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        # Cosmetic only (which countdown value a message shows), so process memory is fine:
        # after a restart the worst case is one extra edit.
        self._shown: dict[tuple[int, datetime], int] = {}
        self._busy = False
        self._pruned_at: datetime | None = None
        # Names this ticker's claims: unique per process, and per bot within one process.
        self.worker = f"{HOST}:{uuid.uuid4().hex[:8]}"

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job-queue callback; a tick still running (under heavy load) is not doubled."""
        if self._busy:
            return
        self._busy = True
        try:
            await self.tick(context.bot)
        finally:
            self._busy = False

    async def tick(self, bot: Bot) -> None:
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
        await self._send_reminders(bot, now)
        live = {(c.telegram_user_id, c.deadline) for c in countdowns}
        self._shown = {key: value for key, value in self._shown.items() if key in live}
        for item in countdowns:
            await self._show(bot, item)

    async def _send_reminders(self, bot: Bot, now: datetime) -> None:
        deps = self.deps
        for item in await reminder_tick(deps.unit_of_work, deps.content.catalog, now,
                                        self.worker):
            if not await still_ours(deps.unit_of_work, item, self.worker, deps.clock.now()):
                continue  # released while we were slow; another process sends it
            texts = deps.content.locales.texts(item.outcome.language)
            try:
                delivered = await deliver(bot, item.chat_id, item.outcome, texts)
            except TelegramError as exc:
                # Left claimed: the stale-claim sweep offers it again in a few minutes.
                log.warning("reminder not delivered: %s", type(exc).__name__)
                continue
            await reminder_delivered(deps.unit_of_work, item, now, delivered.blocked)

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
