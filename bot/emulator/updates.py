"""The bot's update queue with Telegram's offset, limit, long polling and filtering rules."""

from __future__ import annotations

import asyncio
from typing import Any

from .errors import POLL_CONFLICT, WEBHOOK_CONFLICT, ApiError
from .model import Signal

# Without allowed_updates Telegram sends everything except these.
_OPT_IN = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_POLL_TIMEOUT = 50


class UpdateQueue:
    """Unconfirmed updates in order; they stay until a later offset confirms them."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._allowed: frozenset[str] | None = None
        self._poller = 0
        self.changed = Signal()
        self.webhook_active = False
        self.closed = False
        self.polling = 0

    @property
    def last_id(self) -> int:
        """The id of the newest update ever produced (first id minus one if none)."""
        return self._next_id - 1

    def pending(self) -> list[dict[str, Any]]:
        """Copies of the unconfirmed updates, oldest first."""
        return [dict(update) for update in self._pending]

    def accepts(self, kind: str) -> bool:
        """Whether the current allowed_updates lets this kind of update through."""
        if self._allowed is None:
            return kind not in _OPT_IN
        return kind in self._allowed

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember allowed_updates; an empty list restores the default set."""
        if allowed is None:
            return
        self._allowed = frozenset(allowed) if allowed else None

    def push(self, kind: str, body: dict[str, Any]) -> int | None:
        """Queue an update of the given kind; returns its update_id, or None if filtered out."""
        if not self.accepts(kind):
            return None
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: body})
        self.changed.notify()
        return update_id

    def confirm(self, offset: int) -> None:
        """Forget updates as getUpdates' offset does (negative keeps the last -offset)."""
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self.changed.notify()

    def drop_all(self) -> None:
        """Drop every pending update (drop_pending_updates)."""
        self._pending.clear()
        self.changed.notify()

    def delivered(self, up_to: int) -> bool:
        """Whether no update with id <= up_to is still unconfirmed."""
        return not self._pending or self._pending[0]["update_id"] > up_to

    async def wait_delivered(self, within: float | None = 10.0) -> bool:
        """Wait until everything produced so far has been confirmed or delivered."""
        target = self.last_id
        return await self.changed.wait_until(lambda: self.delivered(target), within)

    async def long_poll(
        self, offset: int | None, limit: int, poll_seconds: float
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm by offset, then return at once or when an update arrives."""
        if self.webhook_active:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if offset:
            self.confirm(offset)
        self._poller += 1
        me = self._poller
        self.polling += 1
        # A newer poll ends an older one with 409, as Telegram does with two bot instances.
        self.changed.notify()
        try:
            return await self._poll(me, limit, poll_seconds)
        finally:
            self.polling -= 1

    async def _poll(self, me: int, limit: int, poll_seconds: float) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + poll_seconds
        while True:
            if self._poller != me:
                raise ApiError(409, POLL_CONFLICT)
            if self.webhook_active:
                raise ApiError(409, WEBHOOK_CONFLICT)
            if self._pending or self.closed:
                return self.pending()[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self.changed.wait(remaining)
