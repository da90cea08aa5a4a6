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
from bot.domain.session import prompts
from bot.domain.session.core import (
    HOLD_GRACE,
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

def ready(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Safety rules read: ask for a pain rating."""
    ctx.person.first_session_at = ctx.person.first_session_at or ctx.now
    return Step(SessionState.PAIN_BEFORE)


def show_rules(ctx: Context, event: Press) -> Step[SessionState]:
    """Show all four safety rules again."""
    ctx.person.conversation.data["full_rules"] = True
    return Step(SessionState.SAFETY)


def typed_safety(ctx: Context, event: Text) -> Step[SessionState]:
    """'ready' or 'ok' typed instead of pressing the button."""
    if word_of(ctx, event, "agree", "next", "done"):
        return ready(ctx, event)
    return Step(SessionState.SAFETY, [say("common.use_buttons")])


# --- the exercises --------------------------------------------------------------------------

def next_step(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Done with this step: the next step, the next exercise, or the end."""
    session = session_of(ctx)
    step = current_step(session, ctx.catalog)
    if (step is not None and step.hold
            and ctx.person.conversation.state != SessionState.HOLD_INTERRUPTED):
        return start_hold(ctx, event)  # "next" on a hold step means: hold now
    return _advance(ctx)


def _advance(ctx: Context, replies: list[Reply] | None = None) -> Step[SessionState]:
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    if found is None:
        return Step(SessionState.PAIN_AFTER, replies or [])
    item, exercise = found
    following = next_in_exercise(session.cursor, exercise, item)
    if following is None:
        session.results.setdefault(item.exercise_id, "done")
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
        if session.cursor.exercise >= len(session.plan):
            return Step(SessionState.PAIN_AFTER, [*(replies or []),
                                                  say("session.all_exercises_done")])
        return Step(SessionState.STEP, [*(replies or []), say("session.exercise_done")])
    session.cursor = following
    step = current_step(session, ctx.catalog)
    if step is not None and step.hold and ctx.person.guided_holds:
        return start_hold(ctx, None, replies)
    return Step(SessionState.STEP, replies or [])


def start_hold(ctx: Context, event: Event | None,
               replies: list[Reply] | None = None) -> Step[SessionState]:
    """Start the timed hold now: its deadline goes into the session."""
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    step = current_step(session, ctx.catalog)
    if found is None or step is None or not step.hold:
        return Step(SessionState.STEP)
    seconds = found[0].hold_seconds
    session.hold = Hold(ctx.now, ctx.now + timedelta(seconds=seconds))
    return Step(SessionState.HOLDING, replies or [])


def hold_due(ctx: Context, event: Timer) -> Step[SessionState]:
    """The scheduler says a hold may be over: release it, or offer it again if we were down."""
    session = session_of(ctx)
    hold = session.hold
    if hold is None:
        return Step(SessionState.STEP)
    if ctx.now < hold.deadline:
        return Step(SessionState.HOLDING, prompt="none")
    session.hold = None
    if ctx.now - hold.deadline > HOLD_GRACE:
        return Step(SessionState.HOLD_INTERRUPTED)
    held: list[Reply] = []
    if hold.message_id is not None:
        seconds = int((hold.deadline - hold.started_at).total_seconds())
        held.append(Say((Line("session.held", {"seconds": seconds}),), edit=True,
                        message_id=hold.message_id))
    return _advance(ctx, [*held, say("session.release")])


def typed_in_hold(ctx: Context, event: Text) -> Step[SessionState]:
    """Typing during a hold: 'stop' or 'pause' work; anything else, keep holding."""
    choice = word_of(ctx, event, "hurts", "pause")
    if choice == "hurts":
        return hurts(ctx, event)
    if choice == "pause":
        return pause(ctx, event)
    return Step(SessionState.HOLDING, [say("session.keep_holding")], prompt="none")


def typed_in_step(ctx: Context, event: Text) -> Step[SessionState]:
    """Typed words for the step buttons: next, skip, pause, it hurts, end."""
    choice = word_of(ctx, event, "hurts", "skip", "pause", "end", "next", "start", "done", "agree")
    actions = {"hurts": hurts, "skip": skip, "pause": pause, "end": end_early}
    if choice in actions:
        return actions[choice](ctx, event)
    if choice is not None:
        return next_step(ctx, event)
    return Step(SessionState(ctx.person.conversation.state), [say("session.step_help")])


def skip(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Skip the rest of this exercise."""
    session = session_of(ctx)
    found = current(session, ctx.catalog)
    session.hold = None
    if found is not None:
        session.results.setdefault(found[0].exercise_id, "skipped")
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
    return Step(resume_state(session))


def pause(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Pause: everything is kept; a running hold will start again on resume."""
    session_of(ctx).pause()
    return Step(SessionState.PAUSED)


def resume(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Carry on at the exact step."""
    session = session_of(ctx)
    session.status = "active"
    return Step(resume_state(session))


def typed_paused(ctx: Context, event: Text) -> Step[SessionState]:
    """'resume' or 'end', typed while paused."""
    choice = word_of(ctx, event, "resume", "next", "agree", "end")
    if choice == "end":
        return end_early(ctx, event)
    if choice is not None:
        return resume(ctx, event)
    return Step(SessionState.PAUSED)


_STEP_BUTTONS = (
    ("next", next_step), ("start_hold", start_hold), ("skip", skip), ("pause", pause),
    ("hurts", hurts), ("end", end_early),
)
_STEP_TARGETS = (SessionState.STEP, SessionState.HOLDING, SessionState.PAIN_AFTER,
                 SessionState.PAUSED, SessionState.PAIN_DURING)

SESSION: Flow[SessionState] = Flow(
    name="session",
    states=SessionState,
    initial=SessionState.SAFETY,
    final=frozenset({SessionState.DONE}),
    table=(
        row(SessionState.SAFETY, press("ready"), ready, SessionState.PAIN_BEFORE),
        row(SessionState.SAFETY, press("show_rules"), show_rules, SessionState.SAFETY),
        row(SessionState.SAFETY, TEXT, typed_safety, SessionState.PAIN_BEFORE, SessionState.SAFETY),
        row(SessionState.PAIN_BEFORE, press("pain"), pain_before, SessionState.STEP,
            SessionState.CAN_MOVE, SessionState.MILD, SessionState.PAIN_BEFORE),
        row(SessionState.PAIN_BEFORE, TEXT, pain_before, SessionState.STEP, SessionState.CAN_MOVE,
            SessionState.MILD, SessionState.PAIN_BEFORE),
        row(SessionState.CAN_MOVE, press("move"), can_move, SessionState.EMERGENCY,
            SessionState.HIGH_PAIN, SessionState.DONE, SessionState.CAN_MOVE),
        row(SessionState.CAN_MOVE, TEXT, can_move, SessionState.EMERGENCY, SessionState.HIGH_PAIN,
            SessionState.DONE, SessionState.CAN_MOVE),
        row(SessionState.HIGH_PAIN, press("rest"), rest_today, SessionState.DONE),
        row(SessionState.HIGH_PAIN, press("carry_on"), carry_on_gently, SessionState.STEP,
            SessionState.PAIN_AFTER),
        row(SessionState.HIGH_PAIN, TEXT, typed_high_pain, SessionState.DONE, SessionState.STEP,
            SessionState.PAIN_AFTER, SessionState.HIGH_PAIN),
        row(SessionState.MILD, press("carry_on"), mild_go_on, SessionState.STEP,
            SessionState.PAIN_AFTER),
        row(SessionState.MILD, press("rest"), mild_stop, SessionState.DONE),
        row(SessionState.MILD, TEXT, typed_mild, SessionState.DONE, SessionState.STEP,
            SessionState.PAIN_AFTER, SessionState.MILD),
        *(row(SessionState.STEP, press(name), action, *_STEP_TARGETS) for name,
          action in _STEP_BUTTONS),
        row(SessionState.STEP, TEXT, typed_in_step, *_STEP_TARGETS),
        row(SessionState.HOLDING, timer("hold_due"), hold_due, SessionState.HOLDING,
            SessionState.HOLD_INTERRUPTED, *_STEP_TARGETS),
        row(SessionState.HOLDING, press("hurts"), hurts, SessionState.PAIN_DURING),
        row(SessionState.HOLDING, press("pause"), pause, SessionState.PAUSED),
        row(SessionState.HOLDING, TEXT, typed_in_hold, SessionState.HOLDING,
            SessionState.PAIN_DURING, SessionState.PAUSED),
        *(row(SessionState.HOLD_INTERRUPTED, press(name), action, *_STEP_TARGETS,
              SessionState.HOLD_INTERRUPTED)
          for name, action in _STEP_BUTTONS),
        row(SessionState.HOLD_INTERRUPTED, TEXT, typed_in_step, *_STEP_TARGETS,
            SessionState.HOLD_INTERRUPTED),
        row(SessionState.PAIN_DURING, press("pain"), pain_during, SessionState.PAIN_WHERE,
            SessionState.PAIN_DURING),
        row(SessionState.PAIN_DURING, TEXT, pain_during, SessionState.PAIN_WHERE,
            SessionState.PAIN_DURING),
        row(SessionState.PAIN_WHERE, press("place"), pain_where, SessionState.AFTER_PAIN,
            SessionState.CAN_MOVE, SessionState.MILD),
        row(SessionState.PAIN_WHERE, TEXT, pain_where, SessionState.AFTER_PAIN,
            SessionState.CAN_MOVE, SessionState.MILD),
        row(SessionState.AFTER_PAIN, press("continue"), after_pain_next, SessionState.STEP,
            SessionState.PAIN_AFTER),
        row(SessionState.AFTER_PAIN, press("end"), end_early, SessionState.PAIN_AFTER),
        row(SessionState.AFTER_PAIN, TEXT, typed_after_pain, SessionState.STEP,
            SessionState.PAIN_AFTER, SessionState.AFTER_PAIN),
        row(SessionState.PAUSED, press("resume"), resume, SessionState.STEP,
            SessionState.PAIN_AFTER),
        row(SessionState.PAUSED, press("end"), end_early, SessionState.PAIN_AFTER),
        row(SessionState.PAUSED, TEXT, typed_paused, SessionState.STEP, SessionState.PAIN_AFTER,
            SessionState.PAUSED),
        row(SessionState.PAIN_AFTER, press("pain"), pain_after, SessionState.DONE,
            SessionState.CAN_MOVE, SessionState.PAIN_AFTER),
        row(SessionState.PAIN_AFTER, TEXT, pain_after, SessionState.DONE, SessionState.CAN_MOVE,
            SessionState.PAIN_AFTER),
        row(SessionState.EMERGENCY, press("seen"), seen, SessionState.DONE),
    ),
    prompts={
        SessionState.SAFETY: prompts.safety, SessionState.PAIN_BEFORE: prompts.pain_before,
        SessionState.CAN_MOVE: prompts.can_move,
        SessionState.HIGH_PAIN: prompts.high_pain, SessionState.MILD: prompts.mild,
        SessionState.STEP: prompts.step, SessionState.HOLDING: prompts.holding,
        SessionState.HOLD_INTERRUPTED: prompts.hold_interrupted,
        SessionState.PAIN_DURING: prompts.pain_during,
        SessionState.PAIN_WHERE: prompts.pain_where, SessionState.AFTER_PAIN: prompts.after_pain,
        SessionState.PAUSED: prompts.paused,
        SessionState.PAIN_AFTER: prompts.pain_after, SessionState.EMERGENCY: prompts.emergency,
        SessionState.DONE: prompts.done,
    },
)


def timer_event(session: Session | None, now: datetime) -> Timer | None:
    """The timer event due for this session now, if any (the tick asks this)."""
    if session is None or session.hold is None or now < session.hold.deadline:
        return None
    return Timer("hold_due")
