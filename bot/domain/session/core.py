"""Shared parts of the session flow: its states, and helpers its actions use."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import Context, Step
from bot.domain.engine.replies import Reply, Say, say
from bot.domain.model import Conversation, EndReason, PainMoment, PainRating, Session
from bot.domain.session.plan import build_plan
from bot.domain.understanding.typing_help import normalise, read_rating

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
    MILD = "mild"  # told to call the doctor: go on only if the pain is mild
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




def begin(person_ctx: Context) -> None:
    """Start a new session at the safety rules, with the program's doses fixed for it."""
    person = person_ctx.person
    person.session = Session(person_ctx.now, build_plan(person.program, person_ctx.catalog))
    person.conversation = Conversation("session", SessionState.SAFETY.value, {},
                                       person.conversation.revision)


def resume_state(session: Session) -> SessionState:
    """Where a paused or interrupted session carries on."""
    return (SessionState.STEP if session.cursor.exercise < len(session.plan)
            else SessionState.PAIN_AFTER)


def session_of(ctx: Context) -> Session:
    if ctx.person.session is None:
        raise RuntimeError("session flow without a session")
    return ctx.person.session


def rating_of(event: Text | Press, ctx: Context) -> int | None:
    """A 0-to-10 rating from a button, or typed ('4', 'about a 4/10', 'four'); else None."""
    if isinstance(event, Press):
        value: int | None = int(event.arg) if event.arg.isdigit() else None
    else:
        words = ctx.catalog.words
        value = read_rating(event.text, ctx.catalog.numbers, words.get("out_of", ()),
                            words.get("halves", ()))
    return value if value is not None and 0 <= value <= 10 else None


def said_back(rating: int) -> Say:
    """The rating said back, so the person sees what was saved."""
    return say("session.rating_saved", rating=rating)


def word_of(ctx: Context, event: Text, *groups: str) -> str | None:
    text = normalise(event.text)
    return next((g for g in groups if ctx.catalog.is_word(g, text)), None)


def record_pain(ctx: Context, rating: int, moment: PainMoment, where: str | None = None,
            exercise_id: str | None = None) -> None:
    ctx.person.new_pain_ratings.append(PainRating(ctx.now, rating, moment, where, exercise_id))


def finish(ctx: Context, replies: list[Reply],
           reason: EndReason | None = None) -> Step[SessionState]:
    session = session_of(ctx)
    session.hold = None
    session.status = "finished"
    session.ended_at = ctx.now
    early = ctx.person.conversation.data.get("ended_early") or session.cursor.exercise < len(
        session.plan)
    session.end_reason = reason or ("ended_early" if early else "completed")
    return Step(SessionState.DONE, replies)


def end_early(ctx: Context, event: Text | Press) -> Step[SessionState]:
    """End the session now; the pain rating after it comes next, then the summary."""
    session = session_of(ctx)
    session.hold = None
    session.status = "active"
    ctx.person.conversation.data["ended_early"] = True
    return Step(SessionState.PAIN_AFTER)


