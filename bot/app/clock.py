"""Time as a dependency, so holds and reminders can be tested without waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.ports import Clock as Clock  # the port; the clocks below implement it


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; for tests and benchmarks."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """The time this clock was set to."""
        return self._now

    def advance(self, **delta: float) -> None:
        """Move forward, e.g. advance(seconds=5)."""
        self._now += timedelta(**delta)
