"""Send an outcome to Telegram: rendered HTML, keyboards with callback data, edits, toasts."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.domain.engine.replies import Attach, Button, Join, Line, Say, Toast, press_notice
from bot.loaders.texts import Texts
from bot.services.conversation import Outcome
from bot.services.my_data import ExportFile
from bot.telegram import callback_data
from bot.telegram.limiter import retry_after_seconds
from bot.telegram.rendering import render_lines, render_plain

log = logging.getLogger(__name__)


def keyboard(rows: tuple[tuple[Button, ...], ...], revision: int,
             texts: Texts) -> InlineKeyboardMarkup | None:
    """Inline keyboard whose buttons carry the conversation revision they were drawn for."""
    if not rows:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(render_plain(b.label, texts),
                              callback_data=callback_data.encode(b.action, b.arg, revision))
         for b in row]
        for row in rows
    ])


async def answer_press(query: CallbackQuery | None, outcome: Outcome, texts: Texts) -> None:
    """Stop the button's spinner, with a short notice when the domain gave one."""
    if query is None:
        return
    toast = press_notice(outcome.replies)
    try:
        await query.answer(render_plain(toast.line, texts) if toast else None)
    except BadRequest:
        # A press answered too late (over 15 s) only loses the spinner; the reply still goes.
        log.info("callback query could not be answered (too old)")
    except (NetworkError, RetryAfter) as exc:
        # Not worth retrying (it expires in seconds, and a repeat is refused): the reply
        # that follows is what matters.
        log.info("callback query not answered: %s", type(exc).__name__)


FileMaker = Callable[[str], Awaitable[list[ExportFile]]]


@dataclass
class Delivered:
    """What happened to an outcome: ids of the tagged messages, whether we are blocked, and
    how many calls Telegram refused (the person was told)."""

    tagged: dict[str, int] = field(default_factory=dict)
    blocked: bool = False
    refused: int = 0


class Refused(Exception):
    """Telegram refused a call (400): sent again it would be refused again, so it is not."""

    def __init__(self, method: str, what: Line, description: str) -> None:
        super().__init__(f"{method} refused: {description}")
        self.method = method
        self.what = what  # what did not reach the person, in their words
        self.description = description


@contextlib.contextmanager
def _refusal(method: str, what: Line) -> Iterator[None]:
    # PTB's BadRequest is a NetworkError: told apart here, before anyone retries it.
    try:
        yield
    except BadRequest as exc:
        raise Refused(method, what, exc.message) from exc


class DeliveryInterrupted(Exception):
    """Telegram could not be reached (or flooded) partway: `done` replies went out first.

    The reply that failed may have arrived all the same (a timeout can hide a success), so
    sending again from `done` can repeat that one message, and never an earlier one.
    """

    def __init__(self, done: int) -> None:
        super().__init__(f"interrupted after {done} replies")
        self.done = done

    @property
    def wait_asked(self) -> float:
        """Seconds Telegram asked us to wait (a 429 that outlasted the limiter), else 0."""
        cause = self.__cause__
        return retry_after_seconds(cause) if isinstance(cause, RetryAfter) else 0.0

    @property
    def why(self) -> str:
        """The kind of failure, for logs (never its message, which may quote a text)."""
        return type(self.__cause__).__name__


def interruption(exc: DeliveryInterrupted | TelegramError, skip: int) -> DeliveryInterrupted:
    """Any failed send as an interruption: how far it got (`skip` if it did not say)."""
    if isinstance(exc, DeliveryInterrupted):
        return exc
    wrapped = DeliveryInterrupted(skip)
    wrapped.__cause__ = exc
    return wrapped


async def deliver(bot: Bot, chat_id: int, outcome: Outcome, texts: Texts,
                  query: CallbackQuery | None = None,
                  files: FileMaker | None = None, skip: int = 0,
                  toast_as_message: bool = False) -> Delivered:
    """Send every message of an outcome (from reply `skip` on), editing where asked,
    attaching files asked for; DeliveryInterrupted when Telegram fails partway."""
    await answer_press(query, outcome, texts)
    if toast_as_message and not any(isinstance(r, Say) for r in outcome.replies):
        # The press was answered already, without its notice: say it as a message.
        toasts = [Say((r.line,)) for r in outcome.replies if isinstance(r, Toast)]
        outcome = dataclasses.replace(outcome, replies=[*outcome.replies, *toasts])
    result = Delivered()
    refused: list[Line] = []
    done = skip
    try:
        for reply in outcome.replies[skip:]:
            if isinstance(reply, Attach) and files is not None:
                for made in await files(reply.kind):
                    with _noted(refused):
                        await _send_file(bot, chat_id, made)
            elif isinstance(reply, Say):
                with _noted(refused):
                    message_id = await _send(bot, chat_id, reply, outcome.revision, texts,
                                             query)
                    if reply.tag and message_id is not None:
                        result.tagged[reply.tag] = message_id
            done += 1
    except Forbidden:
        log.info("person has blocked the bot; reply not sent")
        result.blocked = True
    except (NetworkError, RetryAfter) as exc:
        # Transient: the caller sends the rest again later, from this reply on. What was
        # refused before this point is not sent again, so the person hears of it now.
        await _tell_refused(bot, chat_id, refused, texts)
        raise DeliveryInterrupted(done) from exc
    await _tell_refused(bot, chat_id, refused, texts)
    result.refused = len(refused)
    return result


@contextlib.contextmanager
def _noted(refused: list[Line]) -> Iterator[None]:
    """A refused call is logged and remembered, and the rest of the answer goes on."""
    try:
        yield
    except Refused as exc:
        # The description is Telegram's words about our call, never the message's text.
        log.error("Telegram refused %s: %s", exc.method, exc.description)
        refused.append(exc.what)


async def _tell_refused(bot: Bot, chat_id: int, refused: list[Line], texts: Texts) -> None:
    """One short message naming what did not arrive; if even that fails, the log has it."""
    if not refused:
        return
    notice = render_lines((Line("common.not_sent", {"what": Join(tuple(refused))}),), texts)
    try:
        await bot.send_message(chat_id, notice, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("could not say what Telegram refused: %s", type(exc).__name__)


async def _send_file(bot: Bot, chat_id: int, made: ExportFile) -> None:
    if made.as_text:
        with _refusal("sendMessage", Line("common.not_sent_message")):
            for chunk in split_for_telegram(made.content.decode()):
                await bot.send_message(chat_id, chunk)
    elif made.as_photo:
        with _refusal("sendPhoto", Line("common.not_sent_picture")):
            await bot.send_photo(chat_id, InputFile(made.content, filename=made.filename),
                                 caption=made.caption)
    else:
        with _refusal("sendDocument", Line("common.not_sent_file", {"name": made.filename})):
            await bot.send_document(chat_id, InputFile(made.content, filename=made.filename))


def split_for_telegram(text: str, limit: int = 4096) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text else pieces


def _edit_target(reply: Say, query: CallbackQuery | None) -> int | None:
    if not reply.edit:
        return None
    if reply.message_id is not None:
        return reply.message_id
    return query.message.message_id if query is not None and query.message else None


async def _send(bot: Bot, chat_id: int, reply: Say, revision: int, texts: Texts,
                query: CallbackQuery | None) -> int | None:
    text = render_lines(reply.lines, texts)
    markup = keyboard(reply.buttons, revision, texts)
    target = _edit_target(reply, query)
    if target is not None:
        try:
            await bot.edit_message_text(text, chat_id=chat_id, message_id=target,
                                        parse_mode=ParseMode.HTML, reply_markup=markup)
            return target
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return target
            if reply.message_id is not None:
                return None  # a countdown or "held" note on a message that is gone: skip it
            log.info("edit refused (%s); sending a new message instead", type(exc).__name__)
    with _refusal("sendMessage", Line("common.not_sent_message")):
        sent = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                      reply_markup=markup)
    return sent.message_id
