"""What a session says on entering each state: steps with their counts, holds, pain scales."""

from __future__ import annotations

from datetime import datetime

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Join, Line, Say, button, say
from bot.domain.model import Person, Session
from bot.domain.onboarding.prompts import safety_rules
from bot.domain.reminders.timezones import zone
from bot.domain.session.plan import current, current_step, sides
from bot.domain.triage import escalation
from bot.domain.understanding.dates import said_date

Rows = tuple[tuple[Button, ...], ...]


def _session(ctx: Context) -> Session:
    assert ctx.person.session is not None
    return ctx.person.session


def pain_scale(action: str = "pain") -> Rows:
    """0 to 10 as two rows of buttons."""
    numbers = [button("session.btn_number", action, str(n), number=n) for n in range(11)]
    return (tuple(numbers[:6]), tuple(numbers[6:]))


def _step_buttons(first: Button) -> Rows:
    return (
        (first,),
        (button("session.btn_pause", "pause"), button("session.btn_skip", "skip")),
        (button("session.btn_hurts", "hurts"),),
        (button("session.btn_end", "end"),),
    )


def safety(ctx: Context) -> Say:
    """All four rules the first time (or on request); a one-line reminder afterwards."""
    ready = button("session.btn_ready", "ready")
    if ctx.person.first_session_at is None or ctx.person.conversation.data.get("full_rules"):
        return say("session.safety_full", ((ready,),), rules=safety_rules(ctx))
    return say("session.safety_short", ((ready,), (button("session.btn_rules", "show_rules"),)))


def pain_before(ctx: Context) -> Say:
    """How much it hurts before starting."""
    return say("session.pain_before", pain_scale())


def can_move(ctx: Context) -> Say:
    """Severe pain: can they move?"""
    return say("session.can_move", (
        (button("session.btn_can_move", "move", "yes"),),
        (button("session.btn_cannot_move", "move", "no"),),
    ))


def high_pain(ctx: Context) -> Say:
    """High pain but able to move: suggest resting and calling the doctor."""
    return say("session.high_pain", (
        (button("session.btn_rest", "rest"),),
        (button("session.btn_carry_on", "carry_on"),),
    ))


def mild(ctx: Context) -> Say:
    """After a call-your-doctor: go on only if the pain is mild."""
    return say("session.mild", (
        (button("session.btn_mild", "carry_on"),),
        (button("session.btn_stop_today", "rest"),),
    ))


def counter(session: Session, ctx: Context, hold: bool) -> Join:
    """'Bird dog · Set 2 of 5 · right arm, left leg · hold 15 s': always visible."""
    found = current(session, ctx.catalog)
    assert found is not None
    item, exercise = found
    cursor = session.cursor
    parts = [Line(f"exercise.{item.exercise_id}.name"),
             Line(f"session.round_{item.round_kind}", {"number": cursor.round,
                                                        "total": item.rounds})]
    side = sides(exercise)[cursor.side]
    if side:
        parts.append(Line(f"exercise.sides.{side}"))
    if hold:
        parts.append(Line("dose.hold_seconds", {"value": item.hold_seconds}))
    return Join(tuple(parts), " · ")


def step(ctx: Context) -> Say:
    """The position, or one movement step, with Next / Start hold and the other choices."""
    session = _session(ctx)
    found = current(session, ctx.catalog)
    if found is None:
        return pain_after(ctx)
    item, exercise = found
    if session.cursor.step < 0:
        number = session.cursor.exercise + 1
        return say("session.position", _step_buttons(button("session.btn_in_position", "next")),
                   number=number, total=len(session.plan),
                   name=Line(f"exercise.{item.exercise_id}.name"),
                   position=Line(f"exercise.{item.exercise_id}.position"))
    current_def = exercise.steps[session.cursor.step]
    first = (button("session.btn_start_hold", "start_hold", seconds=item.hold_seconds)
             if current_def.hold else button("session.btn_next", "next"))
    return say("session.step", _step_buttons(first),
               counter=counter(session, ctx, current_def.hold),
               text=Line(f"exercise.{item.exercise_id}.steps.{current_def.id}"))


def holding(ctx: Context) -> Say:
    """The hold under way: a new message whose countdown the scheduler edits."""
    session = _session(ctx)
    hold = session.hold
    seconds = int((hold.deadline - hold.started_at).total_seconds()) if hold else 0
    return _hold_view(ctx.person, ctx, seconds)


def _hold_view(person: Person, ctx: Context, seconds_left: int) -> Say:
    session = person.session
    assert session is not None
    found = current(session, ctx.catalog)
    step_def = current_step(session, ctx.catalog)
    if found is None or step_def is None:
        return say("session.keep_holding")
    buttons = ((button("session.btn_hurts", "hurts"), button("session.btn_pause", "pause")),)
    return Say((Line("session.holding", {
        "counter": counter(session, ctx, True),
        "text": Line(f"exercise.{found[0].exercise_id}.steps.{step_def.id}"),
        "left": seconds_left}),), buttons, tag="hold")


def countdown(ctx: Context, now: datetime) -> Say | None:
    """An edit of the hold message showing the seconds left, or None when there is none."""
    session = ctx.person.session
    if session is None or session.hold is None or session.hold.message_id is None:
        return None
    left = int((session.hold.deadline - now).total_seconds() + 0.999)
    if left <= 0:
        return None
    view = _hold_view(ctx.person, ctx, left)
    return Say(view.lines, view.buttons, edit=True, message_id=session.hold.message_id)


def hold_interrupted(ctx: Context) -> Say:
    """The bot was down when the hold ended: offer it again, never count it as done."""
    again = button("session.btn_start_again", "start_hold")
    return say("session.hold_interrupted",
               (*_step_buttons(again), (button("session.btn_skip_hold", "next"),)))


def pain_during(ctx: Context) -> Say:
    """How bad it is."""
    return say("session.pain_during", pain_scale())


def place_rows(ctx: Context) -> Rows:
    """Where it hurts, as buttons two to a row."""
    places = [button(f"session.place_{place}", "place", place) for place in ctx.catalog.pain_places]
    return tuple(tuple(places[i:i + 2]) for i in range(0, len(places), 2))


def pain_where(ctx: Context) -> Say:
    """Where it hurts, as buttons."""
    return say("session.pain_where", place_rows(ctx))


def after_pain(ctx: Context) -> Say:
    """After a pain stop: next exercise, or end."""
    if _session(ctx).cursor.exercise >= len(_session(ctx).plan):
        return say("session.after_pain", ((button("session.btn_finish", "end"),),))
    return say("session.after_pain", ((button("session.btn_next_exercise", "continue"),),
                                      (button("session.btn_end", "end"),)))


def paused(ctx: Context) -> Say:
    """Paused: everything kept."""
    return say("session.paused", ((button("session.btn_resume", "resume"),),
                                  (button("session.btn_end", "end"),)))


def pain_after(ctx: Context) -> Say:
    """The pain rating after the session."""
    return say("session.pain_after", pain_scale())


def emergency(ctx: Context) -> Say:
    """Seek care now, with the person's emergency number."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return say("session.emergency", ((button("session.btn_seen", "seen"),),), number=number)


def done(ctx: Context) -> Say:
    """The summary: done, skipped, stopped for pain, time taken, pain before and after."""
    session = ctx.person.session
    if session is None or session.end_reason == "emergency":
        return Say((Line("session.take_care"), *escalation.rest_lines(ctx)))
    outcomes = list(session.results.values())
    minutes = max(1, round(((session.ended_at or ctx.now) - session.started_at).total_seconds()
                           / 60))
    lines = [Line("session.summary", {
        "done": outcomes.count("done"), "skipped": outcomes.count("skipped"),
        "pain": outcomes.count("pain"),
        "not_reached": len(session.plan) - len(outcomes), "minutes": minutes})]
    if session.pain_before is not None and session.pain_after is not None:
        lines.append(Line("session.summary_pain", {"before": session.pain_before,
                                                    "after": session.pain_after}))
    if escalation.CALL_DOCTOR_ADVISED in session.advised:  # what to do, not "go on"
        lines.append(Line("session.summary_call_doctor"))
    else:
        lines.append(_next_due(ctx) or Line("session.summary_next"))
    return Say(tuple(lines))


def _next_due(ctx: Context) -> Line | None:
    """When the next session reminder comes, in the person's own time, if reminders are on."""
    zone_name = ctx.person.reminder_settings.time_zone
    due = sorted(r.fire_at for r in ctx.person.reminders
                 if r.kind == "session" and r.status == "pending")
    if not due or zone_name is None:
        return None
    local = due[0].astimezone(zone(zone_name))
    when = said_date("date.next_reminder", local.date(), time=local.strftime("%H:%M"))
    return Line("session.summary_next_due", {"when": when})
