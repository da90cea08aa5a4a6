"""The thin adapter between python-telegram-bot and the use cases."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.config.logs import person_ref
from bot.domain.engine.replies import Line, say
from bot.domain.limits.allowance import Limits
from bot.services.conversation import Inbound, Outcome, handle_update
from bot.services.holds import remember_message
from bot.telegram.files import file_maker
from bot.telegram.inbound import to_event
from bot.telegram.outbound import DeliveryInterrupted, deliver
from bot.telegram.rendering import render_lines
from bot.telegram.runtime import Runtime, runtime_of

log = logging.getLogger(__name__)

MAX_REMEMBERED = 10_000  # interrupted answers remembered; the oldest is forgotten first


class UpdateHandler:
    """Receives every update: private chats go to the conversation, others get a pointer."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.ports = runtime.ports
        self.sent = runtime.sent_replies
        self.arrivals = runtime.arrivals
        # Replies already sent of an answer Telegram cut short: sent from there next time.
        self._sent_before: dict[int, int] = {}

    def _limits(self) -> Limits:
        """The operator's limits, and whether pages are served where people can reach them
        (known once the runner serves them)."""
        return dataclasses.replace(self.ports.limits, sharing=self.runtime.pages_url is not None)

    async def _answer_if_late(self, update: Update, waited: float) -> bool:
        """A press that queued long (the bot is busy) is answered now, before its
        transaction: Telegram refuses an answer after ~15 s, and the spinner would stay."""
        query = update.callback_query
        if query is None or waited < self.ports.settings.answer_presses_after:
            return False
        try:
            await query.answer()
        except TelegramError as exc:
            log.info("late press not answered: %s", type(exc).__name__)
        return True

    def _interrupted(self, update_id: int, exc: DeliveryInterrupted) -> None:
        """The answer goes out again when the update comes back (polling re-fetches it, a
        webhook answered 500 is redelivered); its stored replies are still unsent."""
        log.warning("answer interrupted (%s); sent again later",
                    type(exc.__cause__).__name__, extra={"update_id": update_id})
        if len(self._sent_before) >= MAX_REMEMBERED:
            self._sent_before.pop(next(iter(self._sent_before)))
        self._sent_before[update_id] = exc.done
        self.arrivals.fail(update_id)

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update end to end: event, transaction, reply."""
        waited = self.arrivals.queued_for(update.update_id)
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return  # channel posts and the like: nobody to answer
        if chat.type != ChatType.PRIVATE:
            await self._outside_private_chat(update, context)
            return
        event = to_event(update)
        if event is None:
            return
        started = time.perf_counter()
        answered_early = await self._answer_if_late(update, waited)
        locales = self.ports.content.locales
        inbound = Inbound(update.update_id, user.id, chat.id, locales.pick(user.language_code),
                          event)
        replied = self.sent.take()
        try:
            outcome = await handle_update(self.ports.unit_of_work(), self.ports.content.catalog,
                                          inbound, self.ports.clock.now(), replied,
                                          self._limits())
        except BaseException:
            self.sent.give_back(replied)
            raise
        log.info("update handled", extra={"update_id": update.update_id,
                                          "person_ref": self._ref(user.id),
                                          "event": type(event).__name__,
                                          "duplicate": outcome.duplicate})
        if outcome.duplicate and not outcome.replies:
            return  # applied and answered before (its press was answered then too)
        metrics = self.ports.metrics
        metrics.updates.labels(type(event).__name__.lower()).inc()
        metrics.escalated(list(outcome.escalations))
        texts = locales.texts(outcome.language)
        files = file_maker(self.ports, user.id, texts, self.runtime.pages_url)
        try:
            delivered = await deliver(context.bot, chat.id, outcome, texts,
                                      None if answered_early else update.callback_query,
                                      files, skip=self._sent_before.pop(update.update_id, 0),
                                      toast_as_message=answered_early)
        except DeliveryInterrupted as exc:
            self._interrupted(update.update_id, exc)
            return
        metrics.errors.inc(delivered.refused)
        for tag, message_id in delivered.tagged.items():
            await remember_message(self.ports.unit_of_work(), user.id, tag, message_id)
        if outcome.replies:
            self.sent.note(update.update_id)
        metrics.update_seconds.observe(time.perf_counter() - started)

    async def _outside_private_chat(self, update: Update,
                                    context: ContextTypes.DEFAULT_TYPE) -> None:
        """In groups, answer only commands, pointing to a private chat; read nothing else."""
        message = update.message
        chat = update.effective_chat
        if update.callback_query is not None:
            await update.callback_query.answer()
            return
        if message is None or chat is None or not (message.text or "").startswith("/"):
            return
        texts = self.ports.content.locales.texts(self.ports.content.locales.default)
        await deliver(context.bot, chat.id, Outcome([say("common.private_only")]), texts)

    def _ref(self, telegram_user_id: int) -> str:
        return person_ref(telegram_user_id, self.ports.settings.person_ref_salt.get_secret_value())


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without personal data, and tell the person their data is safe."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update failed: %s", type(error).__name__, extra={"update_id": update_id},
              exc_info=(type(error), error, error.__traceback__) if error else None)
    runtime = runtime_of(context)
    ports = runtime.ports
    ports.metrics.errors.inc()
    if not isinstance(update, Update):
        return
    if transient(error, ports.is_transient):
        # Tried again: polling fetches it again, a webhook answers 500 and Telegram redelivers.
        # A bug would fail the same way every time, so it is not.
        runtime.arrivals.fail(update.update_id)
    if update.effective_chat is None or update.effective_chat.type != ChatType.PRIVATE:
        return
    user = update.effective_user
    locales = ports.content.locales
    language = locales.pick(user.language_code if user else None)
    text = render_lines((Line("common.error"),), locales.texts(language))
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, text, parse_mode="HTML")
    except Exception as exc:
        log.warning("could not send the error notice: %s", type(exc).__name__)


def transient(error: BaseException | None,
              in_storage: Callable[[BaseException | None], bool]) -> bool:
    """A failure worth another try: the database (as storage tells) or Telegram could not
    be reached."""
    if in_storage(error):
        return True
    if isinstance(error, BadRequest):
        return False  # PTB makes a refusal (400) a NetworkError; it would be refused again
    return isinstance(error, OSError | TimeoutError | NetworkError)

