"""Long polling that confirms an update to Telegram only after it was handled.

PTB's Updater confirms a batch as soon as it fetches the next one, before the first is
processed: a process killed in between loses those updates. Here a batch is handled first
(people concurrently, one person's updates in order) and the offset moves past it only then,
so after a crash Telegram sends the batch again and the update log makes that harmless. An
update whose handling failed is fetched and tried again, a few times, then let go.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.telegram.limiter import retry_after_seconds
from bot.telegram.ordering import mark_received

log = logging.getLogger(__name__)

TRIES = 5  # a failing update is handled this many times, then confirmed anyway
MAX_PAUSE = 30.0
RETRY_PAUSE = 1.0  # before handling a failed update again


class ConfirmingPoller:
    """getUpdates in a loop; each batch is handled before the next fetch confirms it."""

    def __init__(self, application: Application, timeout: int) -> None:  # type: ignore[type-arg]
        self.application = application
        self.timeout = timeout
        self.offset: int | None = None
        self._tries: Counter[int] = Counter()
        self._stopping = False
        self._handling = False
        self._task: asyncio.Task[None] | None = None
        application.bot_data["failed_updates"] = set()

    async def start(self) -> None:
        """Remove any webhook (Telegram refuses getUpdates while one is set), then poll."""
        await self.application.bot.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="backcoach-polling")

    async def stop(self, grace: float) -> None:
        """Fetch nothing more; let a batch being handled finish (up to `grace` seconds)."""
        self._stopping = True
        task = self._task
        if task is None:
            return
        if not self._handling:
            task.cancel()  # only waiting on getUpdates: nothing is lost by stopping it
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._confirm_handled()

    async def _run(self) -> None:
        pause = 0.0
        while not self._stopping:
            try:
                updates = await self._fetch()
                pause = 0.0
            except RetryAfter as exc:
                pause = retry_after_seconds(exc)
            except InvalidToken:
                log.error("Telegram refused the token; polling stopped")
                return
            except (Conflict, NetworkError, TelegramError) as exc:
                pause = min(MAX_PAUSE, max(1.0, pause * 2))
                log.warning("getUpdates failed (%s); again in %.0f s", type(exc).__name__, pause)
            else:
                if updates:
                    pause = await self._handle(updates)
                if not pause:
                    continue
            await asyncio.sleep(pause)

    async def _fetch(self) -> tuple[Update, ...]:
        return tuple(await self.application.bot.get_updates(
            offset=self.offset, timeout=self.timeout, allowed_updates=Update.ALL_TYPES,
            read_timeout=self.timeout + 10))

    async def _handle(self, updates: tuple[Update, ...]) -> float:
        """Handle a batch; the pause before fetching again (a second when one failed)."""
        self._handling = True
        try:
            app = self.application
            for update in updates:
                mark_received(app.bot_data, update)
            await asyncio.gather(*(app.update_processor.process_update(u, app.process_update(u))
                                   for u in updates))
            # Before the next fetch confirms the batch, so a crash resends as little as can be.
            await app.bot_data["sent_replies"].flush()
        finally:
            self._handling = False
        self.offset = self._next_offset(updates)
        return RETRY_PAUSE if self.offset <= updates[-1].update_id else 0.0

    def _next_offset(self, updates: tuple[Update, ...]) -> int:
        """Past the batch, or back to the first failed update that has tries left."""
        failed: set[int] = self.application.bot_data["failed_updates"]
        retry = []
        for update in updates:
            if update.update_id in failed:
                failed.discard(update.update_id)
                self._tries[update.update_id] += 1
                if self._tries[update.update_id] < TRIES:
                    retry.append(update.update_id)
                else:
                    log.error("update %d failed %d times; letting it go", update.update_id, TRIES)
        if retry:
            return min(retry)  # the ones after it that succeeded are skipped as duplicates
        for update in updates:
            self._tries.pop(update.update_id, None)
        return updates[-1].update_id + 1

    async def _confirm_handled(self) -> None:
        """Tell Telegram how far we got, so a restart does not fetch the last batch again."""
        if self.offset is None:
            return
        with contextlib.suppress(TelegramError, asyncio.TimeoutError):
            await self.application.bot.get_updates(offset=self.offset, timeout=0, limit=1,
                                                   read_timeout=5)
