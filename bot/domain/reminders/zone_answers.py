"""Reading a time zone answer, shared by /reminders and /appointment.

A zone worked out from the time a person says it is for them is a guess (they may have typed
the time they want a reminder at): it is kept aside and confirmed with buttons before it is
saved. A clock time that matches no offset in use anywhere is refused, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.domain.engine.events import LocationShared, Press, Text
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Say, button, say
from bot.domain.reminders.schedule import parse_time
from bot.domain.reminders.timezones import find_zone, parse_offset, zone_from_local_time
from bot.domain.understanding.typing_help import normalise

GUESS, CLOCK = "zone_guess", "zone_clock"


@dataclass(frozen=True)
class ZoneAnswer:
    """What a zone answer said: a zone, a zone guessed from their clock, or neither."""

    zone: str | None = None
    guessed: bool = False
    clock: time | None = None


def read_zone(ctx: Context, event: Text | LocationShared) -> ZoneAnswer:
    """A shared location, a typed city or offset, or the time it is for them now (a guess,
    kept in the conversation's data for the question that confirms it)."""
    if isinstance(event, LocationShared):
        return ZoneAnswer(event.zone)
    text = event.text
    found = find_zone(text, ctx.catalog.places) or parse_offset(text)
    if found is not None:
        return ZoneAnswer(found)
    clock = parse_time(text, ctx.catalog.times)
    if clock is None:
        return ZoneAnswer()
    guess = zone_from_local_time(ctx.now, clock)
    if guess is not None:
        ctx.person.conversation.data[GUESS] = guess
        ctx.person.conversation.data[CLOCK] = clock.strftime("%H:%M")
    return ZoneAnswer(guess, guessed=guess is not None, clock=clock)


def zone_help(answer: ZoneAnswer) -> Say:
    """Why the answer gave no zone: a clock time no place has now, or nothing readable."""
    if answer.clock is not None:
        return say("reminders.zone_no_such_time", time=answer.clock.strftime("%H:%M"))
    return say("reminders.zone_help")


def checked_guess(ctx: Context, event: Text | Press | LocationShared) -> str | None:
    """The answer to 'is it 07:30 for you now?': the guessed zone for yes, '' for no, None
    when the event is no answer to it (a new zone answer, typed or shared)."""
    data = ctx.person.conversation.data
    if isinstance(event, LocationShared):
        return None  # a new zone, shared
    if isinstance(event, Press):
        answer: str | None = event.arg
    else:
        typed = normalise(event.text)
        answer = next((g for g in ("yes", "no") if ctx.catalog.is_word(g, typed)), None)
    if answer not in ("yes", "no"):
        return None
    guess = str(data.pop(GUESS, ""))
    data.pop(CLOCK, None)
    return guess if answer == "yes" else ""


def check_prompt(ctx: Context) -> Say:
    """'Is it 07:30 for you right now? Then your time zone is UTC-07:00.' Yes / No."""
    data = ctx.person.conversation.data
    clock, guess = str(data.get(CLOCK, "")), str(data.get(GUESS, ""))
    return say("reminders.zone_check", (
        (button("reminders.btn_zone_yes", "zone_check", "yes", time=clock),
         button("reminders.btn_zone_no", "zone_check", "no")),
    ), time=clock, zone=guess)
