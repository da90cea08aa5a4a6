"""A guided exercise session, declared as one table: safety, pain, each step, holds, end.

Holds are deadlines stored with the session; the scheduler's tick sends the `hold_due`
timer event, so no timer lives in process memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.engine.events import Event, Press, Text, Timer
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row, timer
from bot.domain.engine.replies import Line, Reply, Say, say
from bot.domain.model import Hold, Session
from bot.domain.session import prompts as p
from bot.domain.session.core import (
    HOLD_GRACE,
    S,
    SessionState,
    begin,
    end_early,
    resume_state,
    session_of,
    word_of,
)
from bot.domain.session.pain import (
    after_pain_next,
    can_move,
    carry_on_gently,
    hurts,
    mild_go_on,
    mild_stop,
    pain_after,
    pain_before,
    pain_during,
    pain_where,
    rest_today,
    seen,
    typed_after_pain,
    typed_high_pain,
    typed_mild,
)
from bot.domain.session.plan import current, current_step, next_in_exercise

__all__ = ["SESSION", "SessionState", "begin", "resume_state", "timer_event"]


# --- before the exercises -------------------------------------------------------------------

def ready(ctx: Context, event: Text | Press) -> Step[S]:
    """Safety rules read: ask for a pain rating."""
    ctx.person.first_session_at = ctx.person.first_session_at or ctx.now
    return Step(S.PAIN_BEFORE)


def show_rules(ctx: Context, event: Press) -> Step[S]:
    """Show all four safety rules again."""
    ctx.person.conversation.data["full_rules"] = True
    return Step(S.SAFETY)


def typed_safety(ctx: Context, event: Text) -> Step[S]:
    """'ready' or 'ok' typed instead of pressing the button."""
    if word_of(ctx, event, "agree", "next", "done"):
        return ready(ctx, event)
    return Step(S.SAFETY, [say("common.use_buttons")])


# --- the exercises --------------------------------------------------------------------------

def next_step(ctx: Context, event: Text | Press) -> Step[S]:
    """Done with this step: the next step, the next exercise, or the end."""
    session = session_of(ctx)
    step = current_step(session, ctx.catalog)
    if step is not None and step.hold and ctx.person.conversation.state != S.HOLD_INTERRUPTED:
        return start_hold(ctx, event)  # "next" on a hold step means: hold now
    return _advance(ctx)


def _advance(ctx: Context, replies: list[Reply] | None = None) -> Step[S]:
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    if found is None:
        return Step(S.PAIN_AFTER, replies or [])
    item, exercise = found
    following = next_in_exercise(session.cursor, exercise, item)
    if following is None:
        session.results.setdefault(item.exercise_id, "done")
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
        if session.cursor.exercise >= len(session.plan):
            return Step(S.PAIN_AFTER, [*(replies or []), say("session.all_exercises_done")])
        return Step(S.STEP, [*(replies or []), say("session.exercise_done")])
    session.cursor = following
    step = current_step(session, ctx.catalog)
    if step is not None and step.hold and ctx.person.guided_holds:
        return start_hold(ctx, None, replies)
    return Step(S.STEP, replies or [])


def start_hold(ctx: Context, event: Event | None, replies: list[Reply] | None = None) -> Step[S]:
    """Start the timed hold now: its deadline goes into the session."""
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    step = current_step(session, ctx.catalog)
    if found is None or step is None or not step.hold:
        return Step(S.STEP)
    seconds = found[0].hold_seconds
    session.hold = Hold(ctx.now, ctx.now + timedelta(seconds=seconds))
    return Step(S.HOLDING, replies or [])


def hold_due(ctx: Context, event: Timer) -> Step[S]:
    """The scheduler says a hold may be over: release it, or offer it again if we were down."""
    session = session_of(ctx)
    hold = session.hold
    if hold is None:
        return Step(S.STEP)
    if ctx.now < hold.deadline:
        return Step(S.HOLDING, prompt="none")
    session.hold = None
    if ctx.now - hold.deadline > HOLD_GRACE:
        return Step(S.HOLD_INTERRUPTED)
    held: list[Reply] = []
    if hold.message_id is not None:
        seconds = int((hold.deadline - hold.started_at).total_seconds())
        held.append(Say((Line("session.held", {"seconds": seconds}),), edit=True,
                        message_id=hold.message_id))
    return _advance(ctx, [*held, say("session.release")])


def typed_in_hold(ctx: Context, event: Text) -> Step[S]:
    """Typing during a hold: 'stop' or 'pause' work; anything else, keep holding."""
    choice = word_of(ctx, event, "hurts", "pause")
    if choice == "hurts":
        return hurts(ctx, event)
    if choice == "pause":
        return pause(ctx, event)
    return Step(S.HOLDING, [say("session.keep_holding")], prompt="none")


def typed_in_step(ctx: Context, event: Text) -> Step[S]:
    """Typed words for the step buttons: next, skip, pause, it hurts, end."""
    choice = word_of(ctx, event, "hurts", "skip", "pause", "end", "next", "start", "done", "agree")
    actions = {"hurts": hurts, "skip": skip, "pause": pause, "end": end_early}
    if choice in actions:
        return actions[choice](ctx, event)
    if choice is not None:
        return next_step(ctx, event)
    return Step(S(ctx.person.conversation.state), [say("session.step_help")])


def skip(ctx: Context, event: Text | Press) -> Step[S]:
    """Skip the rest of this exercise."""
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    session.hold = None
    if found is not None:
        session.results.setdefault(found[0].exercise_id, "skipped")
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
    return Step(resume_state(session))


def pause(ctx: Context, event: Text | Press) -> Step[S]:
    """Pause: everything is kept; a running hold will start again on resume."""
    session_of(ctx).pause()
    return Step(S.PAUSED)


def resume(ctx: Context, event: Text | Press) -> Step[S]:
    """Carry on at the exact step."""
    session = session_of(ctx)
    session.status = "active"
    return Step(resume_state(session))


def typed_paused(ctx: Context, event: Text) -> Step[S]:
    """'resume' or 'end', typed while paused."""
    choice = word_of(ctx, event, "resume", "next", "agree", "end")
    if choice == "end":
        return end_early(ctx, event)
    if choice is not None:
        return resume(ctx, event)
    return Step(S.PAUSED)


_STEP_BUTTONS = (
    ("next", next_step), ("start_hold", start_hold), ("skip", skip), ("pause", pause),
    ("hurts", hurts), ("end", end_early),
)
_STEP_TARGETS = (S.STEP, S.HOLDING, S.PAIN_AFTER, S.PAUSED, S.PAIN_DURING)

SESSION: Flow[S] = Flow(
    name="session",
    states=S,
    initial=S.SAFETY,
    final=frozenset({S.DONE}),
    table=(
        row(S.SAFETY, press("ready"), ready, S.PAIN_BEFORE),
        row(S.SAFETY, press("show_rules"), show_rules, S.SAFETY),
        row(S.SAFETY, TEXT, typed_safety, S.PAIN_BEFORE, S.SAFETY),
        row(S.PAIN_BEFORE, press("pain"), pain_before, S.STEP, S.CAN_MOVE, S.MILD, S.PAIN_BEFORE),
        row(S.PAIN_BEFORE, TEXT, pain_before, S.STEP, S.CAN_MOVE, S.MILD, S.PAIN_BEFORE),
        row(S.CAN_MOVE, press("move"), can_move, S.EMERGENCY, S.HIGH_PAIN, S.DONE, S.CAN_MOVE),
        row(S.CAN_MOVE, TEXT, can_move, S.EMERGENCY, S.HIGH_PAIN, S.DONE, S.CAN_MOVE),
        row(S.HIGH_PAIN, press("rest"), rest_today, S.DONE),
        row(S.HIGH_PAIN, press("carry_on"), carry_on_gently, S.STEP, S.PAIN_AFTER),
        row(S.HIGH_PAIN, TEXT, typed_high_pain, S.DONE, S.STEP, S.PAIN_AFTER, S.HIGH_PAIN),
        row(S.MILD, press("carry_on"), mild_go_on, S.STEP, S.PAIN_AFTER),
        row(S.MILD, press("rest"), mild_stop, S.DONE),
        row(S.MILD, TEXT, typed_mild, S.DONE, S.STEP, S.PAIN_AFTER, S.MILD),
        *(row(S.STEP, press(name), action, *_STEP_TARGETS) for name, action in _STEP_BUTTONS),
        row(S.STEP, TEXT, typed_in_step, *_STEP_TARGETS),
        row(S.HOLDING, timer("hold_due"), hold_due, S.HOLDING, S.HOLD_INTERRUPTED, *_STEP_TARGETS),
        row(S.HOLDING, press("hurts"), hurts, S.PAIN_DURING),
        row(S.HOLDING, press("pause"), pause, S.PAUSED),
        row(S.HOLDING, TEXT, typed_in_hold, S.HOLDING, S.PAIN_DURING, S.PAUSED),
        *(row(S.HOLD_INTERRUPTED, press(name), action, *_STEP_TARGETS, S.HOLD_INTERRUPTED)
          for name, action in _STEP_BUTTONS),
        row(S.HOLD_INTERRUPTED, TEXT, typed_in_step, *_STEP_TARGETS, S.HOLD_INTERRUPTED),
        row(S.PAIN_DURING, press("pain"), pain_during, S.PAIN_WHERE, S.PAIN_DURING),
        row(S.PAIN_DURING, TEXT, pain_during, S.PAIN_WHERE, S.PAIN_DURING),
        row(S.PAIN_WHERE, press("place"), pain_where, S.AFTER_PAIN, S.CAN_MOVE, S.MILD),
        row(S.PAIN_WHERE, TEXT, pain_where, S.AFTER_PAIN, S.CAN_MOVE, S.MILD),
        row(S.AFTER_PAIN, press("continue"), after_pain_next, S.STEP, S.PAIN_AFTER),
        row(S.AFTER_PAIN, press("end"), end_early, S.PAIN_AFTER),
        row(S.AFTER_PAIN, TEXT, typed_after_pain, S.STEP, S.PAIN_AFTER, S.AFTER_PAIN),
        row(S.PAUSED, press("resume"), resume, S.STEP, S.PAIN_AFTER),
        row(S.PAUSED, press("end"), end_early, S.PAIN_AFTER),
        row(S.PAUSED, TEXT, typed_paused, S.STEP, S.PAIN_AFTER, S.PAUSED),
        row(S.PAIN_AFTER, press("pain"), pain_after, S.DONE, S.CAN_MOVE, S.PAIN_AFTER),
        row(S.PAIN_AFTER, TEXT, pain_after, S.DONE, S.CAN_MOVE, S.PAIN_AFTER),
        row(S.EMERGENCY, press("seen"), seen, S.DONE),
    ),
    prompts={
        S.SAFETY: p.safety, S.PAIN_BEFORE: p.pain_before, S.CAN_MOVE: p.can_move,
        S.HIGH_PAIN: p.high_pain, S.MILD: p.mild, S.STEP: p.step, S.HOLDING: p.holding,
        S.HOLD_INTERRUPTED: p.hold_interrupted, S.PAIN_DURING: p.pain_during,
        S.PAIN_WHERE: p.pain_where, S.AFTER_PAIN: p.after_pain, S.PAUSED: p.paused,
        S.PAIN_AFTER: p.pain_after, S.EMERGENCY: p.emergency, S.DONE: p.done,
    },
)


def timer_event(session: Session | None, now: datetime) -> Timer | None:
    """The timer event due for this session now, if any (the tick asks this)."""
    if session is None or session.hold is None or now < session.hold.deadline:
        return None
    return Timer("hold_due")
