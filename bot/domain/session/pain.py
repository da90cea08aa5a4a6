"""Pain in a session: ratings before, during and after, where it hurts, and escalation."""

from __future__ import annotations

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import Context, Step
from bot.domain.engine.replies import Say, say
from bot.domain.session.core import (
    HIGH_PAIN,
    WORSE_BY,
    SessionState,
    end_early,
    finish,
    rating_of,
    record_pain,
    resume_state,
    said_back,
    session_of,
    word_of,
)
from bot.domain.session.plan import current
from bot.domain.triage import Level, escalation
from bot.domain.understanding.pain_places import typed_place

CALL_DOCTOR_SAID = escalation.CALL_DOCTOR_ADVISED  # the call-your-doctor line was given


def pain_before(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Record the pain before starting; very high pain asks whether they can move."""
    rating = rating_of(event, ctx)
    if rating is None:
        return Step(SessionState.PAIN_BEFORE, [say("session.rating_help")])
    usual = escalation.baseline(ctx.person.recent_pain, ctx.now)
    record_pain(ctx, rating, "before")
    session_of(ctx).pain_before = rating
    if rating >= HIGH_PAIN:
        ctx.person.conversation.data["context"] = "before"
        return Step(SessionState.CAN_MOVE, [said_back(rating)])
    if escalation.worse_than(rating, usual):
        escalation.record(ctx, Level.CALL_DOCTOR, "pain_up_from_baseline", "session")
        return Step(SessionState.MILD, [said_back(rating), say("session.worse_than_usual")])
    return Step(SessionState.STEP, [said_back(rating)])


def can_move(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Severe pain that stops them moving is an emergency; otherwise calm advice."""
    answer = (event.arg if isinstance(event, Press)
              else word_of(ctx, event, "cant_move", "yes", "no"))
    if answer in ("no", "cant_move"):
        return _emergency(ctx)
    if answer != "yes":
        return Step(SessionState.CAN_MOVE, [say("common.use_buttons")])
    if ctx.person.conversation.data.get("context") == "after":
        return finish(ctx, [_call_doctor(ctx, "high_pain_can_move")])
    session = session_of(ctx)
    if "high_pain_can_move" not in session.advised:
        escalation.record(ctx, Level.CALL_DOCTOR, "high_pain_can_move", "session")
    # The high-pain advice says to call the doctor: later in this session, only a reminder.
    session.advised.extend(a for a in ("high_pain_can_move", CALL_DOCTOR_SAID)
                           if a not in session.advised)
    return Step(SessionState.HIGH_PAIN)


def rest_today(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Stop here for today, with the summary."""
    return finish(ctx, [])


def carry_on_gently(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Go on despite high pain, carefully; the next exercise (or the first) comes next."""
    return Step(resume_state(session_of(ctx)))


def typed_high_pain(ctx: Context, event: Text) -> Step[SessionState]:
    """'rest' or 'carry on', typed."""
    choice = word_of(ctx, event, "rest", "carry_on", "end")
    if choice in ("rest", "end"):
        return rest_today(ctx, event)
    if choice == "carry_on":
        return carry_on_gently(ctx, event)
    return Step(SessionState.HIGH_PAIN, [say("common.use_buttons")])


def mild_go_on(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """They say the pain is mild: go on gently, at the step where they were."""
    session = session_of(ctx)
    session.status = "active"
    return Step(resume_state(session), [say("session.go_gently")])


def mild_stop(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Stop for today; the summary says to call the doctor."""
    return finish(ctx, [])


def typed_mild(ctx: Context, event: Text) -> Step[SessionState]:
    """'carry on' or 'stop', typed; anything unsure stops (when in doubt, rest)."""
    choice = word_of(ctx, event, "rest", "end", "hurts", "unsure", "carry_on", "yes", "no")
    if choice in ("rest", "end", "hurts", "unsure", "no"):
        return mild_stop(ctx, event)
    if choice in ("carry_on", "yes"):
        return mild_go_on(ctx, event)
    return Step(SessionState.MILD, [say("common.use_buttons")])


def hurts(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """'It hurts, stop': this exercise stops now; ask how bad and where."""
    session = session_of(ctx)
    session.hold = None
    found = current(session, ctx.catalog)
    exercise_id = found[0].exercise_id if found else None
    if found is not None:
        session.results[found[0].exercise_id] = "pain"
        session.cursor = type(session.cursor)(session.cursor.exercise + 1)
    ctx.person.conversation.data["exercise"] = exercise_id
    return Step(SessionState.PAIN_DURING)


def pain_during(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """How bad it is, 0 to 10."""
    rating = rating_of(event, ctx)
    if rating is None:
        return Step(SessionState.PAIN_DURING, [say("session.rating_help")])
    ctx.person.conversation.data["rating"] = rating
    return Step(SessionState.PAIN_WHERE, [said_back(rating)])


def pain_where(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """Where it hurts; then the escalation rules decide what to say."""
    where = typed_place(ctx, event)
    data = ctx.person.conversation.data
    rating = int(data.get("rating", 0))
    record_pain(ctx, rating, "during", where, data.get("exercise"))
    if rating >= HIGH_PAIN:
        data["context"] = "during"
        return Step(SessionState.CAN_MOVE)
    before = session_of(ctx).pain_before
    if before is not None and rating >= before + WORSE_BY:
        return Step(SessionState.MILD, [_call_doctor(ctx)])
    return Step(SessionState.AFTER_PAIN, [say("session.pain_noted")])


def after_pain_next(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """On to the next exercise (the painful one stays stopped)."""
    return Step(resume_state(session_of(ctx)))


def typed_after_pain(ctx: Context, event: Text) -> Step[SessionState]:
    """'next' or 'end', typed after a pain stop."""
    choice = word_of(ctx, event, "end", "next", "carry_on", "agree")
    if choice == "end":
        return end_early(ctx, event)
    if choice is not None:
        return after_pain_next(ctx, event)
    return Step(SessionState.AFTER_PAIN, [say("common.use_buttons")])


def pain_after(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """The pain rating after the session; then the summary."""
    rating = rating_of(event, ctx)
    if rating is None:
        return Step(SessionState.PAIN_AFTER, [say("session.rating_help")])
    session = session_of(ctx)
    record_pain(ctx, rating, "after")
    session.pain_after = rating
    if rating >= HIGH_PAIN:
        ctx.person.conversation.data["context"] = "after"
        return Step(SessionState.CAN_MOVE, [said_back(rating)])
    worse = session.pain_before is not None and rating >= session.pain_before + WORSE_BY
    if worse and CALL_DOCTOR_SAID in session.advised:
        # Told once already in this session: record it (once), and let the summary say it.
        if "pain_worse" not in session.advised:
            escalation.record(ctx, Level.CALL_DOCTOR, "pain_worse", "session")
            session.advised.append("pain_worse")
        return finish(ctx, [said_back(rating)])
    return finish(ctx, [said_back(rating), *([_call_doctor(ctx)] if worse else [])])


def _call_doctor(ctx: Context, rule: str = "pain_worse") -> Say:
    """Call your doctor, in full once a session: after a stop for pain, a worse rating at
    the end repeated the same line in the summary, and the record held the warning twice."""
    session = session_of(ctx)
    said_before = CALL_DOCTOR_SAID in session.advised
    if rule not in session.advised:  # a different reason is a record of its own
        escalation.record(ctx, Level.CALL_DOCTOR, rule, "session")
        session.advised.append(rule)
    if said_before:
        return say("session.call_doctor_again")
    if CALL_DOCTOR_SAID not in session.advised:
        session.advised.append(CALL_DOCTOR_SAID)
    return say("session.call_doctor")


def _emergency(ctx: Context) -> Step[SessionState]:
    escalation.record(ctx, Level.EMERGENCY, "severe_pain_cannot_move", "session")
    finish(ctx, [], "emergency")
    return Step(SessionState.EMERGENCY)


def seen(ctx: Context, event: Press) -> Step[SessionState]:
    """The person confirmed they saw the emergency message."""
    return Step(SessionState.DONE)


