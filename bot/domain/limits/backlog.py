"""Which of a flooding person's excess updates may be let go: never a possible warning sign.

When one person's line is full (bot/telegram/ordering.py), what they send next is let go,
with one notice asking them to send it again later, except what may carry a warning sign:
every typed text (messages, captions, edits, the words after a command) is triaged first,
and answers about pain or a warning sign are kept whatever they say.
"""

from __future__ import annotations

from bot.domain.engine.events import Command, Edited, Event, Press, Text
from bot.domain.triage import Level, Triage

# How many of one person's updates may wait behind the one being handled (the default of
# the MAX_WAITING_PER_PERSON setting). Someone typing or tapping, however fast, stays under
# it; beyond it is a flood (a stuck key, a script), whose excess is let go with one notice
# rather than kept waiting for minutes.
MAX_WAITING_PER_PERSON = 10


def words_of(event: Event | None) -> str | None:
    """What the person typed, when the event carries words to read."""
    if isinstance(event, Text | Edited):
        return event.text
    if isinstance(event, Command):
        return event.args or None
    return None


def may_carry_warning(event: Event | None, triage: Triage | None,
                      safety_presses: frozenset[str] = frozenset()) -> bool:
    """Whether an update must be handled even over the cap; `safety_presses` are the button
    actions that answer about pain or a warning sign (bot/telegram/overflow.py names them).

    Any sign the engine sees counts, even one it reads as someone else's, hypothetical or
    denied, and so does a language it cannot read: the cost of keeping one is one more
    update in the person's own line, the cost of losing one could be a missed emergency.
    """
    if isinstance(event, Press):
        return event.action in safety_presses
    text = words_of(event)
    if text is None:
        return False  # a sticker, a location, a photo without words: nothing to read
    if triage is None:
        return True  # no engine to ask: keep it rather than guess
    decision = triage.decide(text)
    return (decision.level > Level.NONE or decision.candidate > Level.NONE
            or decision.unreadable is not None)
