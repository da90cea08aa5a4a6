"""A hand-advanced clock so tests can move time without sleeping."""

from __future__ import annotations


class FakeClock:
    """Callable returning the current fake time; advance() moves it forward."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        """The current fake time in seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward by seconds."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.now += seconds
