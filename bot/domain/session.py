"""A guided exercise session, declared as one table: safety, pain, each step, holds, end.

Holds are deadlines stored with the session; the scheduler's tick sends the `hold_due`
timer event, so no timer lives in process memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain import session_prompts as p
from bot.domain.events import Event, Press, Text, Timer
from bot.domain.fsm import Context, Flow, Step, row
from bot.domain.model import Conversation, Hold, PainRating, Session
from bot.domain.plan import build_plan, current, current_step, next_in_exercise
from bot.domain.replies import Line, Reply, Say, say
from bot.domain.typing_help import normalise, read_number

# A hold whose deadline passed this long ago was not ended by us: the bot was down.
HOLD_GRACE = timedelta(seconds=30)
HIGH_PAIN = 8
WORSE_BY = 2


class SessionState(StrEnum):
    """Where a person is in a session."""

    SAFETY = "safety"
    PAIN_BEFORE = "pain_before"
    CAN_MOVE = "can_move"
    HIGH_PAIN = "high_pain"
    STEP = "step"
    HOLDING = "holding"
    HOLD_INTERRUPTED = "hold_interrupted"
    PAIN_DURING = "pain_during"
    PAIN_WHERE = "pain_where"
    AFTER_PAIN = "after_pain"
    PAUSED = "paused"
    PAIN_AFTER = "pain_after"
    EMERGENCY = "emergency"
    DONE = "done"


S = SessionState


def begin(person_ctx: Context) -> None:
    """Start a new session at the safety rules, with the program's doses fixed for it."""
    person = person_ctx.person
    person.session = Session(person_ctx.now, build_plan(person.program, person_ctx.catalog))
    person.conversation = Conversation("session", S.SAFETY.value, {},
                                       person.conversation.revision)


def resume_state(session: Session) -> S:
    """Where a paused or interrupted session carries on."""
    return S.STEP if session.cursor.exercise < len(session.plan) else S.PAIN_AFTER


def _session(ctx: Context) -> Session:
    if ctx.person.session is None:
        raise RuntimeError("session flow without a session")
    return ctx.person.session


def _rating(event: Event, ctx: Context) -> int | None:
    if isinstance(event, Press):
        value: int | None = int(event.arg) if event.arg.isdigit() else None
    else:
        value = read_number(event.text, ctx.catalog.numbers) if isinstance(event, Text) else None
    return value if value is not None and 0 <= value <= 10 else None


def _word(ctx: Context, event: Event, *groups: str) -> str | None:
    text = normalise(event.text) if isinstance(event, Text) else ""
    return next((g for g in groups if ctx.catalog.is_word(g, text)), None)


def _record(ctx: Context, rating: int, moment: str, where: str | None = None,
            exercise_id: str | None = None) -> None:
    ctx.person.new_pain_ratings.append(PainRating(ctx.now, rating, moment, where, exercise_id))


# --- before the exercises -------------------------------------------------------------------

def ready(ctx: Context, event: Event) -> Step[S]:
    """Safety rules read: ask for a pain rating."""
    ctx.person.first_session_at = ctx.person.first_session_at or ctx.now
    return Step(S.PAIN_BEFORE)


def show_rules(ctx: Context, event: Event) -> Step[S]:
    """Show all four safety rules again."""
    ctx.person.conversation.data["full_rules"] = True
    return Step(S.SAFETY)


def typed_safety(ctx: Context, event: Event) -> Step[S]:
    """'ready' or 'ok' typed instead of pressing the button."""
    if _word(ctx, event, "agree", "next", "done"):
        return ready(ctx, event)
    return Step(S.SAFETY, [say("common.use_buttons")])


def pain_before(ctx: Context, event: Event) -> Step[S]:
    """Record the pain before starting; very high pain asks whether they can move."""
    rating = _rating(event, ctx)
    if rating is None:
        return Step(S.PAIN_BEFORE, [say("session.rating_help")])
    _record(ctx, rating, "before")
    _session(ctx).pain_before = rating
    if rating >= HIGH_PAIN:
        ctx.person.conversation.data["context"] = "before"
        return Step(S.CAN_MOVE)
    return Step(S.STEP)


def can_move(ctx: Context, event: Event) -> Step[S]:
    """Severe pain that stops them moving is an emergency; otherwise calm advice."""
    answer = event.arg if isinstance(event, Press) else _word(ctx, event, "cant_move", "yes", "no")
    if answer in ("no", "cant_move"):
        return _emergency(ctx)
    if answer != "yes":
        return Step(S.CAN_MOVE, [say("common.use_buttons")])
    if ctx.person.conversation.data.get("context") == "after":
        return _finish(ctx, [say("session.call_doctor")])
    return Step(S.HIGH_PAIN)


def rest_today(ctx: Context, event: Event) -> Step[S]:
    """Stop here for today, with the summary."""
    return _finish(ctx, [])


def carry_on_gently(ctx: Context, event: Event) -> Step[S]:
    """Go on despite high pain, carefully; the next exercise (or the first) comes next."""
    return Step(resume_state(_session(ctx)))


def typed_high_pain(ctx: Context, event: Event) -> Step[S]:
    """'rest' or 'carry on', typed."""
    choice = _word(ctx, event, "rest", "carry_on", "end")
    if choice in ("rest", "end"):
        return rest_today(ctx, event)
    if choice == "carry_on":
        return carry_on_gently(ctx, event)
    return Step(S.HIGH_PAIN, [say("common.use_buttons")])


# --- the exercises --------------------------------------------------------------------------

def next_step(ctx: Context, event: Event) -> Step[S]:
    """Done with this step: the next step, the next exercise, or the end."""
    session = _session(ctx)
    step = current_step(session, ctx.catalog)
    if step is not None and step.hold and ctx.person.conversation.state != S.HOLD_INTERRUPTED:
        return start_hold(ctx, event)  # "next" on a hold step means: hold now
    return _advance(ctx)


def _advance(ctx: Context, replies: list[Reply] | None = None) -> Step[S]:
    session = _session(ctx)
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
    session = _session(ctx)
    found = current(session, ctx.catalog)
    step = current_step(session, ctx.catalog)
    if found is None or step is None or not step.hold:
        return Step(S.STEP)
    seconds = found[0].hold_seconds
    session.hold = Hold(ctx.now, ctx.now + timedelta(seconds=seconds))
    return Step(S.HOLDING, replies or [])


def hold_due(ctx: Context, event: Event) -> Step[S]:
    """The scheduler says a hold may be over: release it, or offer it again if we were down."""
    session = _session(ctx)
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


def typed_in_hold(ctx: Context, event: Event) -> Step[S]:
    """Typing during a hold: 'stop' or 'pause' work; anything else, keep holding."""
    choice = _word(ctx, event, "hurts", "pause")
    if choice == "hurts":
        return hurts(ctx, event)
    if choice == "pause":
        return pause(ctx, event)
    return Step(S.HOLDING, [say("session.keep_holding")], prompt="none")


def typed_in_step(ctx: Context, event: Event) -> Step[S]:
    """Typed words for the step buttons: next, skip, pause, it hurts, end."""
    choice = _word(ctx, event, "hurts", "skip", "pause", "end", "next", "start", "done", "agree")
    actions = {"hurts": hurts, "skip": skip, "pause": pause, "end": end_early}
    if choice in actions:
        return actions[choice](ctx, event)
    if choice is not None:
        return next_step(ctx, event)
    return Step(S(ctx.person.conversation.state), [say("session.step_help")])


def skip(ctx: Context, event: Event) -> Step[S]:
    """Skip the rest of this exercise."""
    session = _session(ctx)
    found = current(session, ctx.catalog)
    session.hold = None
    if found is not None:
        session.results.setdefault(found[0].exercise_id, "skipped")
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
    return Step(resume_state(session))


def pause(ctx: Context, event: Event) -> Step[S]:
    """Pause: everything is kept; a running hold will start again on resume."""
    session = _session(ctx)
    session.hold = None
    session.status = "paused"
    return Step(S.PAUSED)


def resume(ctx: Context, event: Event) -> Step[S]:
    """Carry on at the exact step."""
    session = _session(ctx)
    session.status = "active"
    return Step(resume_state(session))


def typed_paused(ctx: Context, event: Event) -> Step[S]:
    """'resume' or 'end', typed while paused."""
    choice = _word(ctx, event, "resume", "next", "agree", "end")
    if choice == "end":
        return end_early(ctx, event)
    if choice is not None:
        return resume(ctx, event)
    return Step(S.PAUSED)


def hurts(ctx: Context, event: Event) -> Step[S]:
    """'It hurts, stop': this exercise stops now; ask how bad and where."""
    session = _session(ctx)
    session.hold = None
    found = current(session, ctx.catalog)
    exercise_id = found[0].exercise_id if found else None
    if found is not None:
        session.results[found[0].exercise_id] = "pain"
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
    ctx.person.conversation.data["exercise"] = exercise_id
    return Step(S.PAIN_DURING)


def pain_during(ctx: Context, event: Event) -> Step[S]:
    """How bad it is, 0 to 10."""
    rating = _rating(event, ctx)
    if rating is None:
        return Step(S.PAIN_DURING, [say("session.rating_help")])
    ctx.person.conversation.data["rating"] = rating
    return Step(S.PAIN_WHERE)


def pain_where(ctx: Context, event: Event) -> Step[S]:
    """Where it hurts; then the escalation rules decide what to say."""
    if isinstance(event, Press):
        where = event.arg if event.arg in ctx.catalog.pain_places else "other"
    else:
        where = "other"
    data = ctx.person.conversation.data
    rating = int(data.get("rating", 0))
    _record(ctx, rating, "during", where, data.get("exercise"))
    if rating >= HIGH_PAIN:
        data["context"] = "during"
        return Step(S.CAN_MOVE)
    before = _session(ctx).pain_before
    worse = before is not None and rating >= before + WORSE_BY
    return Step(S.AFTER_PAIN, [say("session.call_doctor" if worse else "session.pain_noted")])


def after_pain_next(ctx: Context, event: Event) -> Step[S]:
    """On to the next exercise (the painful one stays stopped)."""
    return Step(resume_state(_session(ctx)))


def end_early(ctx: Context, event: Event) -> Step[S]:
    """End the session now; the pain rating after it comes next, then the summary."""
    session = _session(ctx)
    session.hold = None
    session.status = "active"
    ctx.person.conversation.data["ended_early"] = True
    return Step(S.PAIN_AFTER)


def typed_after_pain(ctx: Context, event: Event) -> Step[S]:
    """'next' or 'end', typed after a pain stop."""
    choice = _word(ctx, event, "end", "next", "carry_on", "agree")
    if choice == "end":
        return end_early(ctx, event)
    if choice is not None:
        return after_pain_next(ctx, event)
    return Step(S.AFTER_PAIN, [say("common.use_buttons")])


def pain_after(ctx: Context, event: Event) -> Step[S]:
    """The pain rating after the session; then the summary."""
    rating = _rating(event, ctx)
    if rating is None:
        return Step(S.PAIN_AFTER, [say("session.rating_help")])
    session = _session(ctx)
    _record(ctx, rating, "after")
    session.pain_after = rating
    if rating >= HIGH_PAIN:
        ctx.person.conversation.data["context"] = "after"
        return Step(S.CAN_MOVE)
    worse = session.pain_before is not None and rating >= session.pain_before + WORSE_BY
    return _finish(ctx, [say("session.call_doctor")] if worse else [])


def _finish(ctx: Context, replies: list[Reply], reason: str | None = None) -> Step[S]:
    session = _session(ctx)
    session.hold = None
    session.status = "finished"
    session.ended_at = ctx.now
    early = ctx.person.conversation.data.get("ended_early") or session.cursor.exercise < len(
        session.plan)
    session.end_reason = reason or ("ended_early" if early else "completed")
    return Step(S.DONE, replies)


def _emergency(ctx: Context) -> Step[S]:
    _finish(ctx, [], "emergency")
    return Step(S.EMERGENCY)


def seen(ctx: Context, event: Event) -> Step[S]:
    """The person confirmed they saw the emergency message."""
    return Step(S.DONE)


_STEP_BUTTONS = (
    ("next", next_step), ("start_hold", start_hold), ("skip", skip), ("pause", pause),
    ("hurts", hurts), ("end", end_early), ("text", typed_in_step),
)
_STEP_TARGETS = (S.STEP, S.HOLDING, S.PAIN_AFTER, S.PAUSED, S.PAIN_DURING)

SESSION: Flow[S] = Flow(
    name="session",
    states=S,
    initial=S.SAFETY,
    final=frozenset({S.DONE}),
    table=(
        row(S.SAFETY, "ready", ready, S.PAIN_BEFORE),
        row(S.SAFETY, "show_rules", show_rules, S.SAFETY),
        row(S.SAFETY, "text", typed_safety, S.PAIN_BEFORE, S.SAFETY),
        row(S.PAIN_BEFORE, "pain", pain_before, S.STEP, S.CAN_MOVE, S.PAIN_BEFORE),
        row(S.PAIN_BEFORE, "text", pain_before, S.STEP, S.CAN_MOVE, S.PAIN_BEFORE),
        row(S.CAN_MOVE, "move", can_move, S.EMERGENCY, S.HIGH_PAIN, S.DONE, S.CAN_MOVE),
        row(S.CAN_MOVE, "text", can_move, S.EMERGENCY, S.HIGH_PAIN, S.DONE, S.CAN_MOVE),
        row(S.HIGH_PAIN, "rest", rest_today, S.DONE),
        row(S.HIGH_PAIN, "carry_on", carry_on_gently, S.STEP, S.PAIN_AFTER),
        row(S.HIGH_PAIN, "text", typed_high_pain, S.DONE, S.STEP, S.PAIN_AFTER, S.HIGH_PAIN),
        *(row(S.STEP, name, action, *_STEP_TARGETS) for name, action in _STEP_BUTTONS),
        row(S.HOLDING, "hold_due", hold_due, S.HOLDING, S.HOLD_INTERRUPTED, *_STEP_TARGETS),
        row(S.HOLDING, "hurts", hurts, S.PAIN_DURING),
        row(S.HOLDING, "pause", pause, S.PAUSED),
        row(S.HOLDING, "text", typed_in_hold, S.HOLDING, S.PAIN_DURING, S.PAUSED),
        *(row(S.HOLD_INTERRUPTED, name, action, *_STEP_TARGETS)
          for name, action in _STEP_BUTTONS),
        row(S.PAIN_DURING, "pain", pain_during, S.PAIN_WHERE, S.PAIN_DURING),
        row(S.PAIN_DURING, "text", pain_during, S.PAIN_WHERE, S.PAIN_DURING),
        row(S.PAIN_WHERE, "place", pain_where, S.AFTER_PAIN, S.CAN_MOVE),
        row(S.PAIN_WHERE, "text", pain_where, S.AFTER_PAIN, S.CAN_MOVE),
        row(S.AFTER_PAIN, "continue", after_pain_next, S.STEP, S.PAIN_AFTER),
        row(S.AFTER_PAIN, "end", end_early, S.PAIN_AFTER),
        row(S.AFTER_PAIN, "text", typed_after_pain, S.STEP, S.PAIN_AFTER, S.AFTER_PAIN),
        row(S.PAUSED, "resume", resume, S.STEP, S.PAIN_AFTER),
        row(S.PAUSED, "end", end_early, S.PAIN_AFTER),
        row(S.PAUSED, "text", typed_paused, S.STEP, S.PAIN_AFTER, S.PAUSED),
        row(S.PAIN_AFTER, "pain", pain_after, S.DONE, S.CAN_MOVE, S.PAIN_AFTER),
        row(S.PAIN_AFTER, "text", pain_after, S.DONE, S.CAN_MOVE, S.PAIN_AFTER),
        row(S.EMERGENCY, "seen", seen, S.DONE),
    ),
    prompts={
        S.SAFETY: p.safety, S.PAIN_BEFORE: p.pain_before, S.CAN_MOVE: p.can_move,
        S.HIGH_PAIN: p.high_pain, S.STEP: p.step, S.HOLDING: p.holding,
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
