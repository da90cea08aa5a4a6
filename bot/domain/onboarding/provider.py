"""A provider's program, from a link: "Your provider suggested: ...", then use it, change
it, or (someone already set up) keep their own.

The program waits in the conversation's data ("provider") once the person has consented;
taking it records a ProgramChange of kind "provider", so /mydata and the visit report say
where the program came from and when.
"""

from __future__ import annotations

from datetime import date

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Join, Line, Reply, Say, button, say
from bot.domain.model import Conversation, Prescription, ProgramChange, ProviderProgram
from bot.domain.onboarding.prompts import dose_summary, enabled_exercises
from bot.domain.understanding.dates import said_date

KEY = "provider"  # where the program waits in the conversation's data
# The buttons' arguments (not words: the person presses them, or types a yes for "use").
USE = "use"
CHANGE = "change"
KEEP = "keep"


def waiting(ctx: Context) -> ProviderProgram | None:
    """The provider's program waiting for the person's answer, if any."""
    data = ctx.person.conversation.data.get(KEY)
    return ProviderProgram.from_data(data) if isinstance(data, dict) else None


def offered(ctx: Context) -> list[Reply] | None:
    """/start with a link: what to say first, or None when no link was opened. A consented
    person's program waits in the conversation (the caller moves them to it)."""
    offer = ctx.person.link_offer
    if offer is None:
        return None
    if offer.program is None:  # wrong, used up or expired: never said which
        return [say("link.not_valid")]
    if offer.taken:
        ctx.person.conversation.data[KEY] = offer.program.to_data()
    return [say("link.opened")]


def take_offer(ctx: Context) -> None:
    """At consent: a link taken with "I understand" waits in the conversation."""
    offer = ctx.person.link_offer
    if offer is not None and offer.program is not None and offer.taken:
        ctx.person.conversation.data[KEY] = offer.program.to_data()


def move_to(ctx: Context, state: str) -> None:
    """Put the person in onboarding at `state`, keeping the waiting program."""
    conversation = ctx.person.conversation
    data = {KEY: conversation.data[KEY]} if KEY in conversation.data else {}
    session = ctx.person.session
    if session is not None and session.status == "active":
        session.pause()  # as /cancel does: the session waits, /exercise carries on
    ctx.person.conversation = Conversation("onboarding", state, data, conversation.revision)


def apply(ctx: Context) -> bool:
    """Make the waiting program the person's (every exercise, each dose), recorded with
    its date; False when nothing waits."""
    program = waiting(ctx)
    if program is None:
        return False
    before = ",".join(e.id for e in enabled_exercises(ctx)) or None
    for exercise in ctx.catalog.exercises:
        doses = program.doses.get(exercise.id)
        item = Prescription(exercise.id, enabled=doses is not None)
        for name, value in (doses or {}).items():
            if name in exercise.dose and exercise.dose[name].allows(value):
                setattr(item, name, value)  # checked again: the link is content from outside
        ctx.person.program[exercise.id] = item
    after = ",".join(e.id for e in enabled_exercises(ctx))
    ctx.person.new_program_changes.append(ProgramChange(ctx.now, "provider", before, after))
    ctx.person.conversation.data.pop(KEY, None)
    ctx.person.conversation.data["visit"] = program.visit.isoformat() if program.visit else None
    return True


def visit_line(ctx: Context) -> list[Reply]:
    """After taking a program with a visit date still to come: how to be reminded of it."""
    visit = ctx.person.conversation.data.pop("visit", None)
    if not visit or ctx.person.appointment is not None:
        return []
    day = date.fromisoformat(visit)
    if day < ctx.now.date():
        return []
    return [say("link.visit_hint", date=said_date("date.visit", day))]


def suggestion(ctx: Context) -> Say:
    """"Your provider suggested: ..." with the doses, the note and the visit; buttons."""
    program = waiting(ctx)
    if program is None:  # nothing waits (an old message): say the program as it is
        return say("link.nothing_waiting")
    items = []
    for number, exercise in enumerate(
            (e for e in ctx.catalog.exercises if e.id in program.doses), start=1):
        item = Prescription(exercise.id, True, **program.doses[exercise.id])
        items.append(Line("onboarding.program_item", {
            "number": number, "name": Line(f"exercise.{exercise.id}.name"),
            "dose": dose_summary(exercise, item)}))
    lines = [Line("link.suggested", {"items": Join(tuple(items))})]
    if program.note:
        lines.append(Line("link.note", {"note": program.note}))
    if program.visit:
        lines.append(Line("link.visit", {"date": said_date("date.visit", program.visit)}))
    rows = [(button("link.btn_use", "provider", USE),),
            (button("link.btn_change", "provider", CHANGE),)]
    if ctx.person.onboarded_at is not None:
        rows.append((button("link.btn_keep", "provider", KEEP),))
    return Say(tuple(lines), tuple(rows))


def answer(ctx: Context, event: Text | Press, typed_yes: bool) -> str:
    """Which answer was given: use, change, keep, or "" (not understood)."""
    if isinstance(event, Press):
        return event.arg if event.arg in {USE, CHANGE, KEEP} else ""
    return USE if typed_yes else ""
