"""Outgoing request throttling for PTB: per-chat and global token buckets, 429-aware retries."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.ordering import KeyedLine

_LOG = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
ChatKey = int | str

# Answers to button presses and inline queries carry no chat and have hard deadlines;
# never let them queue behind a chat's messages even if a chat_id sneaks in via api_kwargs.
_UNQUEUED_ENDPOINTS = frozenset(
    {"answerCallbackQuery", "answerInlineQuery", "answerPreCheckoutQuery", "answerShippingQuery"}
)


class _Bucket:
    """Token bucket kept as the time the next token is due, so reservations are synchronous."""

    __slots__ = ("_due", "_interval", "_tolerance")

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._due = float("-inf")

    def reserve(self, now: float) -> float:
        """Take the next token and return how long to wait before using it."""
        due = max(self._due, now - self._tolerance)
        self._due = due + self._interval
        return max(0.0, due - now)

    def full(self, now: float) -> bool:
        """True when the bucket is back to its full burst, same as a brand-new one."""
        return self._due <= now - self._tolerance


class _Chat:
    """What the limiter remembers about one chat."""

    __slots__ = ("blocked_until", "bucket")

    def __init__(self, bucket: _Bucket) -> None:
        self.bucket = bucket
        self.blocked_until = float("-inf")


_FIRST_SWEEP = 1024


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds to wait from a RetryAfter, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        # Reading it as int is deprecated in PTB 22 unless PTB_TIMEDELTA is set;
        # we accept both shapes so the warning is noise.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: object = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"unexpected retry_after {value!r}")


def _chat_key(data: dict[str, Any]) -> ChatKey | None:
    chat_id = data.get("chat_id")
    if isinstance(chat_id, bool) or chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    # "123" and 123 are the same chat; "@channel" stays a name.
    try:
        return int(text)
    except ValueError:
        return text


class SendLimiter(BaseRateLimiter[int]):
    """Keeps each chat under `per_chat_rate` and the bot under `global_rate` requests/second.

    `rate_limit_args`, when a PTB call passes one, overrides `max_retries` for that call.
    """

    def __init__(
        self,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 3,
        global_rate: float = 30.0,
        global_burst: int = 30,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        _Bucket(per_chat_rate, per_chat_burst)  # fail fast; chat buckets are made lazily
        self._per_chat_rate = per_chat_rate
        self._per_chat_burst = per_chat_burst
        self._global = _Bucket(global_rate, global_burst)
        self._max_retries = max_retries
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[ChatKey, _Chat] = {}
        self._sweep_at = _FIRST_SWEEP
        self._lines: KeyedLine[ChatKey] = KeyedLine()
        self._all_blocked_until = float("-inf")
        self.retries_after_429 = 0
        self.seen_429 = 0  # every 429 answer, retried or not
        # Sum of the limiter's own sleeps. Requests queued behind their chat's head are not
        # added again, so for one busy chat this is the delay added to its whole stream.
        self.waited_seconds = 0.0

    @property
    def chats_tracked(self) -> int:
        """How many chats the limiter currently remembers (bounded by recent activity)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Forget per-chat state."""
        self._chats.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send one request when its chat and the bot have capacity, retrying on 429."""
        if endpoint == "getUpdates":
            # PTB already skips the limiter for it; stalling long polling would stall the bot.
            return await callback(*args, **kwargs)
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat = None if endpoint in _UNQUEUED_ENDPOINTS else _chat_key(data)
        if chat is None:
            return await self._send(None, callback, args, kwargs, retries)
        # Holding the chat's turn through the call and its retries keeps that chat's
        # requests in the order they were made and stops them hammering during a 429.
        async with self._lines.turn(chat):
            return await self._send(chat, callback, args, kwargs, retries)

    async def _send(
        self,
        chat: ChatKey | None,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        retries: int,
    ) -> Result:
        attempt = 0
        while True:
            await self._wait_for_capacity(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.seen_429 += 1
                pause = retry_after_seconds(exc)
                self._block(chat, pause)
                if attempt >= retries:
                    _LOG.warning("Flood limit still hit after %d retries; giving up", retries)
                    raise
                attempt += 1
                self.retries_after_429 += 1
                _LOG.info("Flood limit hit; retrying in %.1f s", pause)

    async def _wait_for_capacity(self, chat: ChatKey | None) -> None:
        while True:
            await self._wait_for(self._blocked_until(chat) - self._clock())
            if chat is not None:
                await self._wait_for(self._chat(chat).bucket.reserve(self._clock()))
            await self._wait_for(self._global.reserve(self._clock()))
            # A 429 may have blocked us while we slept; the tokens just taken are then
            # wasted, which only errs on the slow side.
            if self._blocked_until(chat) <= self._clock():
                return

    def _blocked_until(self, chat: ChatKey | None) -> float:
        if chat is None or chat not in self._chats:
            return self._all_blocked_until
        return max(self._all_blocked_until, self._chats[chat].blocked_until)

    def _block(self, chat: ChatKey | None, seconds: float) -> None:
        until = self._clock() + seconds
        if chat is None:
            self._all_blocked_until = max(self._all_blocked_until, until)
        else:
            state = self._chat(chat)
            state.blocked_until = max(state.blocked_until, until)

    def _chat(self, chat: ChatKey) -> _Chat:
        state = self._chats.get(chat)
        if state is None:
            if len(self._chats) >= self._sweep_at:
                self._sweep()
            state = self._chats[chat] = _Chat(_Bucket(self._per_chat_rate, self._per_chat_burst))
        return state

    def _sweep(self) -> None:
        # A full, unblocked chat is indistinguishable from a new one, so dropping it loses
        # nothing; sweeping only when the map doubles keeps this amortised O(1).
        now = self._clock()
        self._chats = {
            key: state
            for key, state in self._chats.items()
            if state.blocked_until > now or not state.bucket.full(now)
        }
        self._sweep_at = max(_FIRST_SWEEP, 2 * len(self._chats))

    async def _wait_for(self, seconds: float) -> None:
        if seconds > 0:
            self.waited_seconds += seconds
            await self._sleep(seconds)
