"""The daily pain check-in, as one table: a 0-10 rating, new pain, worse than usual.

Escalation: 8 or more with "I can't move" is an emergency; a rating up by 2 points or 30%
on the person's own two-week baseline, new pain in a new place, or "worse than usual" means
calling the doctor, followed up the next day.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Button, Line, Say, button, say
from bot.domain.model import Conversation, PainRating
from bot.domain.session.core import rating_of, said_back
from bot.domain.session.prompts import can_move as can_move_prompt
from bot.domain.session.prompts import pain_scale, place_rows
from bot.domain.triage import Level, escalation
from bot.domain.understanding.pain_places import typed_place
from bot.domain.understanding.typing_help import normalise


class CheckIn(StrEnum):
    """Where a person is in a check-in."""

    RATING = "rating"
    CAN_MOVE = "can_move"
    NEW_PAIN = "new_pain"
    WHERE = "where"
    WORSE = "worse"
    EMERGENCY = "emergency"
    DONE = "done"




def begin(ctx: Context) -> None:
    """Start a check-in, coming back afterwards to where the person was."""
    came_from = ctx.person.conversation
    back = None if came_from.flow in ("checkin", "home") else {
        "flow": came_from.flow, "state": came_from.state, "data": came_from.data}
    ctx.person.conversation = Conversation("checkin", CheckIn.RATING.value, {"return_to": back},
                                           came_from.revision)


def _yes_no(ctx: Context, event: Text | Press) -> str | None:
    if isinstance(event, Press):
        return event.arg
    text = normalise(event.text)
    return next((g for g in ("yes", "no", "cant_move") if ctx.catalog.is_word(g, text)), None)


def rating(ctx: Context, event: Text | Press) -> Step[CheckIn]:
    """Record today's rating; very high pain asks whether they can move."""
    value = rating_of(event, ctx)
    if value is None:
        return Step(CheckIn.RATING, [say("session.rating_help")])
    data = ctx.person.conversation.data
    data["rating"] = value
    data["usual"] = escalation.baseline(ctx.person.recent_pain, ctx.now)
    ctx.person.new_pain_ratings.append(PainRating(ctx.now, value, "checkin"))
    return Step(CheckIn.CAN_MOVE if value >= escalation.HIGH_PAIN else CheckIn.NEW_PAIN,
                [said_back(value)])


def can_move(ctx: Context, event: Text | Press) -> Step[CheckIn]:
    """Severe pain that stops them moving is an emergency."""
    answer = _yes_no(ctx, event)
    if answer in ("no", "cant_move"):
        escalation.act_on(ctx, Level.EMERGENCY, "severe_pain_cannot_move", "checkin")
        ctx.person.conversation.data["kind"] = "emergency"
        return Step(CheckIn.EMERGENCY)
    if answer == "yes":
        return Step(CheckIn.NEW_PAIN)
    return Step(CheckIn.CAN_MOVE, [say("common.use_buttons")])


def new_pain(ctx: Context, event: Text | Press) -> Step[CheckIn]:
    """New pain anywhere? Yes asks where."""
    answer = _yes_no(ctx, event)
    if answer == "yes":
        return Step(CheckIn.WHERE)
    if answer == "no":
        return Step(CheckIn.WORSE)
    return Step(CheckIn.NEW_PAIN, [say("common.use_buttons")])


def where(ctx: Context, event: Text | Press) -> Step[CheckIn]:
    """Where the new pain is; a place not seen in the last two weeks is new."""
    place = typed_place(ctx, event)
    known = {r.where for r in ctx.person.recent_pain if r.where}
    data = ctx.person.conversation.data
    data["new_place"] = place not in known
    ctx.person.new_pain_ratings.append(PainRating(ctx.now, int(data.get("rating", 0)),
                                                  "checkin", place))
    return Step(CheckIn.WORSE)


def worse(ctx: Context, event: Text | Press) -> Step[CheckIn]:
    """Worse than usual? Then decide: call the doctor, or all is as usual."""
    answer = _yes_no(ctx, event)
    if answer not in ("yes", "no"):
        return Step(CheckIn.WORSE, [say("common.use_buttons")])
    data = ctx.person.conversation.data
    value = int(data.get("rating", 0))
    usual = data.get("usual")
    reasons = []
    if escalation.worse_than(value, float(usual) if usual is not None else None):
        reasons.append("pain_up_from_baseline")
    if data.get("new_place"):
        reasons.append("new_pain_new_place")
    if answer == "yes":
        reasons.append("worse_than_usual")
    if reasons:
        escalation.record(ctx, Level.CALL_DOCTOR, reasons[0], "checkin")
        data["advice"] = "call_doctor"
        escalation.way_back(ctx, "save_offer")  # a paused session asks if it is mild first
        return Step(CheckIn.DONE, [say("checkin.call_doctor")])
    escalation.record(ctx, Level.NONE, None, "checkin")
    return Step(CheckIn.DONE, [say("checkin.thanks")])


def seen(ctx: Context, event: Press) -> Step[CheckIn]:
    """The emergency message was seen."""
    ctx.person.conversation.data["return_to"] = None
    return Step(CheckIn.DONE)


def _yes_no_buttons(action: str) -> tuple[tuple[Button, ...], ...]:
    return ((button("triage.btn_yes", action, "yes"), button("triage.btn_no", action, "no")),)


def _places(ctx: Context) -> Say:
    return say("checkin.where", place_rows(ctx))


def _done(ctx: Context) -> Say:
    """No invitation to exercise after a warning sign: what to do instead."""
    data = ctx.person.conversation.data
    if data.get("kind") == "emergency":
        return Say((Line("triage.after_emergency"), *escalation.rest_lines(ctx)))
    if data.get("advice") == "call_doctor":
        return say("checkin.call_doctor_next")
    return say("checkin.done")


CHECKIN: Flow[CheckIn] = Flow(
    name="checkin",
    states=CheckIn,
    initial=CheckIn.RATING,
    final=frozenset({CheckIn.DONE}),
    table=(
        row(CheckIn.RATING, press("pain"), rating, CheckIn.CAN_MOVE, CheckIn.NEW_PAIN,
            CheckIn.RATING),
        row(CheckIn.RATING, TEXT, rating, CheckIn.CAN_MOVE, CheckIn.NEW_PAIN, CheckIn.RATING),
        row(CheckIn.CAN_MOVE, press("move"), can_move, CheckIn.EMERGENCY, CheckIn.NEW_PAIN,
            CheckIn.CAN_MOVE),
        row(CheckIn.CAN_MOVE, TEXT, can_move, CheckIn.EMERGENCY, CheckIn.NEW_PAIN,
            CheckIn.CAN_MOVE),
        row(CheckIn.NEW_PAIN, press("new_pain"), new_pain, CheckIn.WHERE, CheckIn.WORSE,
            CheckIn.NEW_PAIN),
        row(CheckIn.NEW_PAIN, TEXT, new_pain, CheckIn.WHERE, CheckIn.WORSE, CheckIn.NEW_PAIN),
        row(CheckIn.WHERE, press("place"), where, CheckIn.WORSE),
        row(CheckIn.WHERE, TEXT, where, CheckIn.WORSE),
        row(CheckIn.WORSE, press("worse"), worse, CheckIn.DONE, CheckIn.WORSE),
        row(CheckIn.WORSE, TEXT, worse, CheckIn.DONE, CheckIn.WORSE),
        row(CheckIn.EMERGENCY, press("seen"), seen, CheckIn.DONE),
    ),
    prompts={
        CheckIn.RATING: lambda ctx: say("checkin.rating", pain_scale()),
        CheckIn.CAN_MOVE: can_move_prompt,
        CheckIn.NEW_PAIN: lambda ctx: say("checkin.new_pain", _yes_no_buttons("new_pain")),
        CheckIn.WHERE: _places,
        CheckIn.WORSE: lambda ctx: say("checkin.worse", _yes_no_buttons("worse")),
        CheckIn.EMERGENCY: escalation.emergency_message,
        CheckIn.DONE: _done,
    },
)
