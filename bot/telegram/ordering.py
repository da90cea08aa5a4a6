"""Per-key first-come-first-served lines, and a PTB update processor that orders per person."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

from telegram import Update
from telegram.ext import BaseUpdateProcessor

K = TypeVar("K", bound=Hashable)


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


class PerPersonOrdering(BaseUpdateProcessor):
    """Runs different people's updates concurrently and each person's strictly in order."""

    __slots__ = ("_line",)

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._line: KeyedLine[int] = KeyedLine()

    @property
    def people_in_line(self) -> int:
        """How many people have an update waiting or running right now."""
        return len(self._line)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await `coroutine` once every earlier update from the same person has finished."""
        key = person_key(update)
        if key is None:
            await coroutine
            return
        started = False
        try:
            async with self._line.turn(key):
                started = True
                # An exception here leaves the `async with`, which passes the turn on,
                # so one failing update never holds up the person's later ones.
                await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                # Cancelled (shutdown) before our turn: close it to avoid a
                # "coroutine was never awaited" warning.
                coroutine.close()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the lines drain as their updates finish or are cancelled."""


def mark_received(bot_data: dict[str, Any], update: object) -> None:
    """Note when an update arrived, so its handler knows how long it queued."""
    update_id = getattr(update, "update_id", None)
    if isinstance(update_id, int):
        bot_data.setdefault("received", {})[update_id] = time.monotonic()


def queued_for(bot_data: dict[str, Any], update_id: int) -> float:
    """Seconds since the update arrived (0 when unknown); forgets it."""
    received: dict[int, float] = bot_data.get("received", {})
    at = received.pop(update_id, None)
    return 0.0 if at is None else time.monotonic() - at

