"""What the poller or the webhook and the handler tell each other about one update: when it
arrived (how long it queued), and whether its handling failed for a reason worth another try."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Arrivals:
    """One Application's updates in flight: arrival times, and the ones to handle again."""

    received: dict[int, float] = field(default_factory=dict)
    failed: set[int] = field(default_factory=set)

    def mark_received(self, update: object) -> None:
        """Note when an update arrived, so its handler knows how long it queued."""
        update_id = getattr(update, "update_id", None)
        if isinstance(update_id, int):
            self.received[update_id] = time.monotonic()

    def queued_for(self, update_id: int) -> float:
        """Seconds since the update arrived (0 when unknown); forgets it."""
        at = self.received.pop(update_id, None)
        return 0.0 if at is None else time.monotonic() - at

    def fail(self, update_id: int) -> None:
        """Its handling failed for a transient reason: the poller or the webhook tries again."""
        self.failed.add(update_id)

    def take_failure(self, update_id: int) -> bool:
        """Whether the update's handling failed (forgetting it, for the next try)."""
        if update_id in self.failed:
            self.failed.discard(update_id)
            return True
        return False
