""""Save this as a question for your doctor?": the offer made when the bot cannot use what
someone typed, and the answer to it, which works from any state.

The text waits in the conversation's data until they answer; the button carries a checksum
of it, so an older offer's button never saves a newer message.
"""

from __future__ import annotations

import zlib

from bot.domain.engine.events import Press
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Line, Reply, Say, Toast, button, say
from bot.domain.questions import book

ACTIONS = frozenset({"offer_save", "offer_no"})
MIN_WORDS = 4  # "ok", "thanks", "hi there" are not questions


def worth_offering(text: str) -> bool:
    """A question mark, or a few words: worth keeping; a stray word is not."""
    return "?" in text or len(text.split()) >= MIN_WORDS


def offer_buttons(ctx: Context, text: str) -> tuple[tuple[Button, ...], ...]:
    """Remember the text and return the yes/no buttons; none when it is not worth it."""
    if not worth_offering(text):
        return ()
    return save_buttons(ctx, text)


def save_buttons(ctx: Context, text: str) -> tuple[tuple[Button, ...], ...]:
    """Remember the text and return the yes/no buttons, however short the text."""
    kept, _ = book.fit(text)
    check = _checksum(kept)
    ctx.person.conversation.data["offer"] = {"text": kept, "check": check}
    return ((button("questions.btn_offer_save", "offer_save", check),
             button("questions.btn_offer_no", "offer_no", check)),)


def with_offer(ctx: Context, text: str, replies: list[Reply]) -> list[Reply]:
    """A state's "I couldn't read that" answer (a *_help line) gets the offer attached."""
    for number, reply in enumerate(replies):
        if (isinstance(reply, Say) and not reply.buttons and reply.lines
                and reply.lines[0].key.endswith("_help")):
            buttons = offer_buttons(ctx, text)
            if not buttons:
                return replies
            offered = Say((*reply.lines, Line("questions.or_save")), buttons)
            return [*replies[:number], offered, *replies[number + 1:]]
    return replies


def pressed(ctx: Context, press: Press) -> list[Reply]:
    """Save the offered text, or let it go; a button whose text is gone says so."""
    data = ctx.person.conversation.data
    offer = data.get("offer")
    if not isinstance(offer, dict) or offer.get("check") != press.arg:
        return [Toast(Line("questions.offer_gone")), say("questions.offer_gone")]
    data.pop("offer")
    if press.action == "offer_no":
        return [Toast(Line("questions.not_saved"))]
    added = book.add_question(ctx, str(offer.get("text") or ""))
    if isinstance(added, book.Refusal):
        return [Toast(added.line), Say((added.line,))]
    return [Toast(Line("questions.saved_short")),
            say("questions.saved_hint", count=len(ctx.person.questions))]


def _checksum(text: str) -> str:
    return f"{zlib.crc32(text.encode()):08x}"
