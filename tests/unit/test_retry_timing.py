"""When a scheduled send that failed is tried again: soon, then less often, never sooner
than Telegram asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.outbox import next_try

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_tries_double_from_a_second_to_at_most_a_minute() -> None:
    waits = [(next_try(NOW, n) - NOW).total_seconds() for n in range(1, 10)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_429_is_waited_out() -> None:
    assert next_try(NOW, 1, at_least=7.0) == NOW + timedelta(seconds=7)
    assert next_try(NOW, 4, at_least=3.0) == NOW + timedelta(seconds=8)
