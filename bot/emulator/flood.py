"""Telegram-like flood control: a token bucket per chat and one for the whole bot."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests


@dataclass(frozen=True)
class FloodLimits:
    """Sustained rates (messages per second) and bursts for one chat and for the bot."""

    per_chat_rate: float = 1.0
    per_chat_burst: int = 5
    global_rate: float = 30.0
    global_burst: int = 30


class TokenBucket:
    """A bucket refilled at rate tokens per second up to burst, read from an injected clock."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)

    def wait_needed(self, now: float) -> float:
        """Seconds until one token is available (0 when one is there now)."""
        self._refill(now)
        if self.tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token; callers check wait_needed first."""
        self._refill(now)
        self.tokens -= 1.0


class FloodControl:
    """Admits or refuses sends with 429 and a whole-second retry_after, as Telegram does."""

    def __init__(self, limits: FloodLimits | None, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self._chats: dict[int, TokenBucket] = {}
        self._global: TokenBucket | None = None

    def admit(self, chat_id: int) -> None:
        """Consume one send for chat_id or raise the 429 ApiError."""
        limits = self.limits
        if limits is None:
            return
        now = self.clock()
        if self._global is None:
            self._global = TokenBucket(limits.global_rate, limits.global_burst, now)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = TokenBucket(
                limits.per_chat_rate, limits.per_chat_burst, now
            )
        wait = max(chat.wait_needed(now), self._global.wait_needed(now))
        if wait > 0:
            retry = 2**31 - 1 if math.isinf(wait) else max(1, math.ceil(wait))
            raise too_many_requests(retry)
        chat.take(now)
        self._global.take(now)
