"""Long polling that confirms an update to Telegram only after it was handled.

PTB's Updater confirms a batch as soon as it fetches the next, before the first is handled:
a process killed in between loses those updates. Here the offset sent with getUpdates (which
confirms every update below it) never passes an update still being handled, so after a
crash Telegram sends it again and the update log makes that harmless.

Fetching does not wait for a whole batch to finish, which let one slow update (an export,
a person with several updates queued) hold everyone's next messages and left the CPU idle
while a batch drained. Updates start as they arrive, people concurrently and one person's in
order (PerPersonOrdering); the next fetch goes out once fewer than half as many are running
as the processor runs at once (enough to keep it busy; fetching sooner would mostly bring
back updates already running). Only updates holding one of the processor's slots count:
those waiting in their person's line behind an earlier one of theirs do not, or one
person's backlog would stop the bot fetching anyone's messages. It asks from the lowest
unfinished update on, so Telegram returns some again: those running or done are skipped. An
update whose handling failed for a transient reason is tried again a second later, a few
times, then let go.

Telegram returns at most 100 updates from the offset. When all of them are already started
(a backlog, one person's flood: waiting in lines, or running), the next fetch would bring
the same 100 and nobody else's messages until those finish. Then the offset moves past
them: they are confirmed unfinished (they are handled all the same, but a crash right then
loses them, at most a full line per person), which is the price of fetching the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.telegram.arrivals import Arrivals
from bot.telegram.limiter import retry_after_seconds
from bot.telegram.sent_replies import SentReplies

log = logging.getLogger(__name__)

TRIES = 5  # a failing update is handled this many times, then confirmed anyway
MAX_PAUSE = 30.0
RETRY_PAUSE = 1.0  # before handling a failed update again
REFETCH_SECONDS = 0.025  # the longest a new update waits to be fetched while others run
FETCH_LIMIT = 100  # the most getUpdates returns at once (Telegram's own maximum)


class ConfirmingPoller:
    """getUpdates in a loop; the offset confirms only updates whose handling has ended."""

    def __init__(self, application: Application, timeout: int,  # type: ignore[type-arg]
                 arrivals: Arrivals | None = None, sent: SentReplies | None = None) -> None:
        self.application = application
        self.timeout = timeout
        # Shared with the handler: how long an update queued, and which to handle again.
        self.arrivals = arrivals or Arrivals()
        self.sent = sent
        self._running: dict[int, asyncio.Task[None]] = {}
        self._next = 0  # one past the highest update id started so far
        self._floor = 0  # the offset passed a full window of started updates up to here
        self._changed = asyncio.Event()  # an update finished
        self._stopping = False
        self._fetching: asyncio.Task[tuple[Update, ...]] | None = None
        self._task: asyncio.Task[None] | None = None
        self._refill_below = max(1, application.update_processor.max_concurrent_updates // 2)

    @property
    def offset(self) -> int | None:
        """What the next getUpdates confirms up to: the lowest update not yet finished,
        unless a full window of started ones was passed (_pass_backlog)."""
        lowest = min(self._running) if self._running else self._next
        return max(lowest, self._floor) or None

    async def start(self) -> None:
        """Remove any webhook (Telegram refuses getUpdates while one is set), then poll."""
        await self.application.bot.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="backcoach-polling")

    async def stop(self, grace: float) -> None:
        """Fetch nothing more; let updates being handled finish (up to `grace` seconds)."""
        self._stopping = True
        if self._fetching is not None:
            self._fetching.cancel()  # nothing fetched and not yet started is lost by this
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        running = list(self._running.values())
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._confirm_handled()

    async def _run(self) -> None:
        pause = 0.0
        while not self._stopping:
            await self._room_to_fetch()
            # Cleared before fetching: an update finishing meanwhile must still wake us below.
            self._changed.clear()
            try:
                fresh = await self._fetch()
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
                for update in fresh:
                    self._begin(update)
                if self._running:
                    # Telegram answers at once while any update is unconfirmed, so no long
                    # poll: fetch again when one finishes, or after REFETCH_SECONDS, so that
                    # nobody's message waits long behind a slow update of someone else's.
                    # asyncio.timeout: Python 3.11's wait_for can swallow a cancel.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(REFETCH_SECONDS):
                            await self._changed.wait()
                continue
            await asyncio.sleep(pause)

    async def _room_to_fetch(self) -> None:
        """Wait while half the processor's slots or more are taken (updates waiting in
        their person's line take none)."""
        processor = self.application.update_processor
        while (processor.current_concurrent_updates >= self._refill_below
               and not self._stopping):
            self._changed.clear()
            await self._changed.wait()

    async def _fetch(self) -> tuple[Update, ...]:
        """Updates not yet started; long polls only when nothing is running."""
        await self._mark_sent()
        timeout = 0 if self._running else self.timeout
        self._fetching = asyncio.ensure_future(self.application.bot.get_updates(
            offset=self.offset, limit=FETCH_LIMIT, timeout=timeout,
            allowed_updates=Update.ALL_TYPES, read_timeout=timeout + 10))
        try:
            updates = await self._fetching
        finally:
            self._fetching = None
        # Every id below _next was returned before: it is running or done.
        fresh = tuple(u for u in updates if u.update_id >= self._next)
        if not fresh and len(updates) >= FETCH_LIMIT:
            self._pass_backlog()
        return fresh

    def _pass_backlog(self) -> None:
        """Telegram's whole window is updates already started: move the offset past them."""
        unfinished = sum(1 for update_id in self._running if update_id < self._next)
        self._floor = self._next
        log.info("%d updates confirmed before they finished: a backlog filled the window",
                 unfinished)

    async def _mark_sent(self) -> None:
        """Before the offset confirms their updates, so a crash resends as little as can be
        (bot/telegram/sent_replies.py; absent in an Application built without it)."""
        if self.sent is not None:
            await self.sent.flush()

    def _begin(self, update: Update) -> None:
        self.arrivals.mark_received(update)
        self._next = max(self._next, update.update_id + 1)
        self._running[update.update_id] = asyncio.create_task(
            self._handle(update), name=f"update-{update.update_id}")

    async def _handle(self, update: Update) -> None:
        """Handle one update, again after a pause while it fails for a transient reason."""
        app = self.application
        update_id = update.update_id
        try:
            for tries in range(1, TRIES + 1):
                await app.update_processor.process_update(update, app.process_update(update))
                if not self.arrivals.take_failure(update_id):
                    return
                if tries == TRIES or self._stopping:
                    log.error("update %d failed %d times; letting it go", update_id, tries)
                    return
                await asyncio.sleep(RETRY_PAUSE)
        finally:
            self._finish(update_id)

    def _finish(self, update_id: int) -> None:
        self._running.pop(update_id, None)
        self._changed.set()

    async def _confirm_handled(self) -> None:
        """Tell Telegram how far we got, so a restart does not fetch those updates again."""
        await self._mark_sent()
        if self.offset is None:
            return
        with contextlib.suppress(TelegramError, asyncio.TimeoutError):
            await self.application.bot.get_updates(offset=self.offset, timeout=0, limit=1,
                                                   read_timeout=5)
