"""What the bot does with an update that finds its person's line full (a flood).

PerPersonOrdering (ordering.py) asks `must_keep` first: every typed text is triaged
(bot/domain/limits/backlog.py), and one that may carry a warning sign joins the line whatever its
length. The rest is let go: not handled and not stored, and the person gets one short notice
per burst asking them to send again, once things are calm, what they still need. A let-go
button press is not answered: answering each of a hundred presses would spend the bot's
overall send allowance, everyone's replies, on one person; the notice says it instead.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config.logs import person_ref
from bot.domain.engine.replies import say
from bot.domain.limits.backlog import may_carry_warning
from bot.services.conversation import Outcome
from bot.telegram.arrivals import Arrivals
from bot.telegram.inbound import to_event
from bot.telegram.outbound import DeliveryInterrupted, deliver
from bot.telegram.ports import Ports

log = logging.getLogger(__name__)

# Buttons that answer a question about pain or a warning sign: "It hurts, stop", a 0-10
# rating, where it hurts, "can you move?", new pain, worse than usual, "did you mean it?".
# Letting one go could hide a sign, so they are handled like a worrying text. (Callback
# actions, named here rather than in bot/domain, where no list of words may be written.)
SAFETY_PRESSES = frozenset({"hurts", "pain", "place", "move", "new_pain", "worse", "confirm"})


class LetGo:
    """The running bot's Overflow: triage decides what is kept; one notice per burst."""

    def __init__(self, ports: Ports, arrivals: Arrivals,
                 application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.ports = ports
        self.arrivals = arrivals
        self.application = application

    def must_keep(self, update: object) -> bool:
        """True for an update that may carry a warning sign (and anything not an Update)."""
        if not isinstance(update, Update):
            return True
        return may_carry_warning(to_event(update), self.ports.content.catalog.triage,
                                 SAFETY_PRESSES)

    async def let_go(self, update: object, notify: bool) -> None:
        """Count and log the update (no text), and send the burst's notice if asked."""
        if not isinstance(update, Update):
            return
        # The poller noted when it arrived, for the handler that will now never run.
        self.arrivals.queued_for(update.update_id)
        self.ports.metrics.let_go.inc()
        user, chat = update.effective_user, update.effective_chat
        salt = self.ports.settings.person_ref_salt.get_secret_value()
        log.info("update let go: the person's line is full",
                 extra={"update_id": update.update_id,
                        "person_ref": person_ref(user.id, salt) if user else None})
        if notify and chat is not None and chat.type == ChatType.PRIVATE:
            await self._notice(chat.id, user.language_code if user else None)

    async def _notice(self, chat_id: int, language_code: str | None) -> None:
        locales = self.ports.content.locales
        texts = locales.texts(locales.pick(language_code))
        try:
            await deliver(self.application.bot, chat_id, Outcome([say("common.too_many")]),
                          texts)
        except (DeliveryInterrupted, TelegramError) as exc:
            # The next let-go update of this burst does not try again: a notice is a
            # courtesy, and retrying it would spend on the flood what others are owed.
            log.warning("the too-many notice was not sent: %s", type(exc).__name__)
