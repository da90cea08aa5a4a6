"""Per-key first-come-first-served lines, and a PTB update processor that orders per person."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from typing import Any, Generic, Protocol, TypeVar

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.domain.limits.backlog import MAX_WAITING_PER_PERSON

K = TypeVar("K", bound=Hashable)

# PTB's own semaphore, taken before do_process_update, must never bind: slots are ours.
_UNBOUNDED = 2**31 - 1


class KeyedLine(Generic[K]):
    """One queue per key: holders of the same key take turns in the order they joined."""

    __slots__ = ("_tails",)

    def __init__(self) -> None:
        # Only the newest place per key is kept; each place is resolved when its holder
        # is done, which is what the next holder waits for. Keys vanish when their line empties.
        self._tails: dict[K, asyncio.Future[None]] = {}

    def __len__(self) -> int:
        """Number of keys that currently have someone in line."""
        return len(self._tails)

    @asynccontextmanager
    async def turn(self, key: K) -> AsyncIterator[None]:
        """Wait until everyone who joined the line for `key` earlier is done, then hold it."""
        # No await before this point: the place is taken the moment `async with` starts,
        # so the order of callers is the order of their turns.
        previous = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        try:
            if previous is not None:
                # shield: being cancelled must not cancel the predecessor's marker,
                # which other holders and its owner still rely on.
                await asyncio.shield(previous)
            yield
        finally:
            if previous is None or previous.done():
                self._leave(key, mine)
            else:
                # Cancelled while waiting: whoever is behind us must still wait for the
                # one ahead of us, so we only step out once it has.
                previous.add_done_callback(lambda _: self._leave(key, mine))

    def _leave(self, key: K, mine: asyncio.Future[None]) -> None:
        if not mine.done():
            mine.set_result(None)
        if self._tails.get(key) is mine:
            del self._tails[key]


def person_key(update: object) -> int | None:
    """The id that orders an update: its user, else its chat, else None (no ordering)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class Overflow(Protocol):
    """What PerPersonOrdering asks about an update that finds its person's line full."""

    def must_keep(self, update: object) -> bool:
        """True when the update may carry a warning sign: it is handled whatever the line."""

    async def let_go(self, update: object, notify: bool) -> None:
        """The update is not handled; `notify` is True for the first of a burst."""


class PerPersonOrdering(BaseUpdateProcessor):
    """Runs different people's updates concurrently and each person's strictly in order.

    A concurrency slot is taken only once it is the update's turn: a person's queued
    updates wait in their own line without holding the slots everyone shares (PTB's own
    semaphore, taken before do_process_update, is made too large to ever bind). With an
    `overflow`, at most `max_waiting` of one person's updates wait; the excess is let go,
    unless the overflow says it may carry a warning sign.
    """

    __slots__ = ("_busy", "_limit", "_line", "_noticed", "_queued", "_slots", "max_waiting",
                 "overflow")

    def __init__(self, max_concurrent_updates: int,
                 max_waiting: int = MAX_WAITING_PER_PERSON,
                 overflow: Overflow | None = None) -> None:
        if max_concurrent_updates < 1 or max_waiting < 0:
            raise ValueError("max_concurrent_updates must be >= 1, max_waiting >= 0")
        # The base sizes its semaphore by reading max_concurrent_updates, which is ours:
        # unbounded while it does, the real limit after.
        self._limit = _UNBOUNDED
        super().__init__(_UNBOUNDED)
        self._limit = max_concurrent_updates
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._busy = 0
        self._line: KeyedLine[int] = KeyedLine()
        self._queued: dict[int, int] = {}  # per person: updates in line, waiting or running
        self._noticed: set[int] = set()  # people told about this burst's let-go updates
        self.max_waiting = max_waiting
        self.overflow = overflow

    @property
    def max_concurrent_updates(self) -> int:
        """How many updates run at once (hold a slot)."""
        return self._limit

    @property
    def current_concurrent_updates(self) -> int:
        """How many updates hold a slot right now (not those waiting for their turn)."""
        return self._busy

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        async with self._slots:
            self._busy += 1
            try:
                yield
            finally:
                self._busy -= 1

    @property
    def people_in_line(self) -> int:
        """How many people have an update waiting or running right now."""
        return len(self._line)

    @property
    def updates_in_line(self) -> int:
        """Updates of people waiting for their turn or running."""
        return sum(self._queued.values())

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await `coroutine` once every earlier update from the same person has finished
        and a slot is free; let it go instead when the person's line is full."""
        key = person_key(update)
        if key is None:
            async with self._slot():
                await coroutine
            return
        if self._over_cap(key, update):
            _close(coroutine)
            notify = key not in self._noticed
            self._noticed.add(key)
            assert self.overflow is not None
            await self.overflow.let_go(update, notify)
            return
        self._queued[key] = self._queued.get(key, 0) + 1
        started = False
        try:
            async with self._line.turn(key), self._slot():
                started = True
                # An exception here leaves the `async with`, which passes the turn on,
                # so one failing update never holds up the person's later ones.
                await coroutine
        finally:
            self._left(key)
            if not started:
                # Cancelled (shutdown) before our turn: close it to avoid a
                # "coroutine was never awaited" warning.
                _close(coroutine)

    def _over_cap(self, key: int, update: object) -> bool:
        """Whether this update is let go: the line is full and it carries no warning sign.

        Synchronous, so nothing joins the line between the check and the decision.
        """
        waiting = self._queued.get(key, 0) - 1  # one of those in line is running
        if self.overflow is None or waiting < self.max_waiting:
            return False
        return not self.overflow.must_keep(update)

    def _left(self, key: int) -> None:
        left = self._queued[key] - 1
        if left:
            self._queued[key] = left
        else:
            # The line is empty: the burst is over, and the next one gets its own notice.
            del self._queued[key]
            self._noticed.discard(key)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the lines drain as their updates finish or are cancelled."""


def _close(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()
