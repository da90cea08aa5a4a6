"""Which updates' answers went out, until the database has been told.

An update's answer is kept with its id (see services.conversation) until it is sent. Marking
each one sent in a transaction of its own doubled the transactions per update, so the marks
wait here: the next update's transaction carries them (take/give_back), and whatever is left
is marked before each getUpdates, every second by a job, and at shutdown (flush). They
matter only if the update comes again: polling fetches an update again only when the
process died before confirming it, and Telegram redelivers a webhook only when it was not
answered.
A crash in that window means those few answers are sent again: at least once, as the README
says.
"""

from __future__ import annotations

import logging

from telegram.ext import ContextTypes

from bot.services.conversation import replies_sent
from bot.telegram.ports import Ports

log = logging.getLogger(__name__)


class SentReplies:
    """Update ids whose answers were delivered but not yet marked sent in the database."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._ids: list[int] = []

    def note(self, update_id: int) -> None:
        """This update's answer went out."""
        self._ids.append(update_id)

    def take(self) -> list[int]:
        """Everything noted so far, for a transaction to mark; give_back() if it fails."""
        ids, self._ids = self._ids, []
        return ids

    def give_back(self, update_ids: list[int]) -> None:
        """A transaction that took these rolled back: they wait for the next one."""
        self._ids.extend(update_ids)

    async def flush(self) -> None:
        """Mark everything noted, in one transaction of its own."""
        ids = self.take()
        if not ids:
            return
        try:
            await replies_sent(self._ports.unit_of_work(), ids, self._ports.clock.now())
        except BaseException as exc:  # database away, or cancelled: the next one carries them
            self.give_back(ids)
            if not isinstance(exc, Exception):
                raise
            log.warning("could not mark answers sent: %s", type(exc).__name__)

    async def job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job-queue callback: flush what no transaction carried (a quiet moment)."""
        await self.flush()
