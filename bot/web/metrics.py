"""What /metrics reports, in the Prometheus text format: counts and timings, never people.

Each bot has its own registry (tests run several bots in one process); labels are fixed,
small sets (an update's kind, a reminder's outcome, a warning level), never ids or text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

REMINDER_OUTCOMES = ("sent", "failed", "late", "missed", "blocked")
LEVELS = ("emergency", "urgent", "call_doctor")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _LimiterFigures(Collector):
    """Reads the send limiter's own counts when scraped."""

    def __init__(self, seen_429: Callable[[], int], waited: Callable[[], float]) -> None:
        self._seen_429 = seen_429
        self._waited = waited

    def collect(self) -> Iterator[Metric]:
        """Two counters: 429 answers Telegram gave us, and seconds sends waited for a slot."""
        family = CounterMetricFamily("backcoach_telegram_429",
                                     "Flood-control (429) answers from Telegram")
        family.add_metric([], self._seen_429())
        yield family
        waited = CounterMetricFamily("backcoach_rate_limit_wait_seconds",
                                     "Seconds sends waited for the rate limiter, summed")
        waited.add_metric([], self._waited())
        yield waited


class Metrics:
    """The bot's counters and histograms, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter("backcoach_updates", "Updates handled, by kind",
                               ["kind"], registry=self.registry)
        self.update_seconds = Histogram(
            "backcoach_update_seconds", "Time to handle an update (transaction and replies)",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry)
        self.errors = Counter("backcoach_errors", "Updates whose handling failed",
                              registry=self.registry)
        self.let_go = Counter("backcoach_updates_let_go",
                              "Updates let go because their person's line was full (a flood)",
                              registry=self.registry)
        self.reminders = Counter("backcoach_reminders", "Reminders by outcome",
                                 ["outcome"], registry=self.registry)
        self.escalations = Counter("backcoach_escalations", "Warning-sign escalations by level",
                                   ["level"], registry=self.registry)
        for outcome in REMINDER_OUTCOMES:
            self.reminders.labels(outcome)
        for level in LEVELS:
            self.escalations.labels(level)
        self._limiter: _LimiterFigures | None = None

    def read_limiter(self, seen_429: Callable[[], int], waited: Callable[[], float]) -> None:
        """Report the limiter's 429 count and waiting time (set once the limiter exists)."""
        if self._limiter is not None:
            self.registry.unregister(self._limiter)
        self._limiter = _LimiterFigures(seen_429, waited)
        self.registry.register(self._limiter)

    def escalated(self, levels: list[str]) -> None:
        """Count the escalations an update led to."""
        for level in levels:
            if level in LEVELS:
                self.escalations.labels(level).inc()

    def render(self) -> bytes:
        """The text exposition of everything."""
        return generate_latest(self.registry)
