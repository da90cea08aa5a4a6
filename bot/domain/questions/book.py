"""The person's saved questions: adding within limits, the context they came up in, lookups.

A question's context is stored as short "key=value" pairs ("after=cat_camel;pain=6") and put
into words only when shown, so it reads right in any language and after content changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.domain.catalog import Catalog
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Join, Line
from bot.domain.model import Question

MAX_QUESTIONS = 50  # open and answered together: a visit cannot cover more
# Characters in one question or answer note: as many as one Telegram message holds, so
# whatever a person types is kept whole (at 2,000 a longer message lost its end).
MAX_LENGTH = 4096
PAGE_SIZE = 5
RECENT_PAIN = timedelta(hours=24)  # a rating older than this says nothing about now
RECENT_SESSION = timedelta(hours=3)


@dataclass(frozen=True)
class Refusal:
    """Why a question was not saved, as the line to say."""

    line: Line


def add_question(ctx: Context, text: str, context: str | None = None) -> Question | Refusal:
    """Save a question with its context, or say why not (empty, too long, list full)."""
    cleaned = clean(text)
    if not cleaned:
        return Refusal(Line("questions.empty"))
    if len(cleaned) > MAX_LENGTH:
        return Refusal(Line("questions.too_long", {"length": len(cleaned),
                                                    "limit": MAX_LENGTH}))
    if len(ctx.person.questions) >= MAX_QUESTIONS:
        return Refusal(Line("questions.full", {"limit": MAX_QUESTIONS}))
    question = Question(cleaned, ctx.now, context or context_of(ctx))
    ctx.person.questions.append(question)
    return question


def fit(text: str) -> tuple[str, bool]:
    """Text cut to MAX_LENGTH (with an ellipsis) when longer, and whether it was cut.

    For what the bot offers to keep from a message: better the first part than nothing.
    """
    cleaned = clean(text)
    if len(cleaned) <= MAX_LENGTH:
        return cleaned, False
    return cleaned[: MAX_LENGTH - 1].rstrip() + "…", True


def clean(text: str) -> str:
    """Trim, and drop control characters other than line breaks (they show as boxes)."""
    kept = "".join(c for c in text if c in "\n\t" or (ord(c) >= 32 and c != "\x7f"))
    return "\n".join(line.rstrip() for line in kept.strip().splitlines())


def context_of(ctx: Context) -> str | None:
    """Where the person was when the question came up: the exercise, their latest pain."""
    parts: list[str] = []
    session = ctx.person.session
    if session is not None and (session.ended_at is None
                                or ctx.now - session.ended_at <= RECENT_SESSION):
        done = [e for e in session.results if session.results[e] != "skipped"]
        if session.status == "active" and session.cursor.exercise < len(session.plan):
            parts.append(f"during={session.plan[session.cursor.exercise].exercise_id}")
        elif done:
            parts.append(f"after={done[-1]}")
    ratings = [*ctx.person.recent_pain, *ctx.person.new_pain_ratings]
    recent = [r for r in ratings if ctx.now - r.at <= RECENT_PAIN]
    if recent:
        parts.append(f"pain={max(recent, key=lambda r: r.at).rating}")
    return ";".join(parts) or None


def context_line(context: str | None, catalog: Catalog) -> Line | None:
    """The stored context in words ("after Cat and camel, pain 6/10"), or None.

    An exercise no longer in the program (content changed since) is left out, not shown
    as a broken name.
    """
    if not context:
        return None
    pairs = dict(part.partition("=")[::2] for part in context.split(";") if "=" in part)
    pieces: list[Line] = []
    for key in ("during", "after"):
        if pairs.get(key) and catalog.exercise(pairs[key]) is not None:
            pieces.append(Line(f"questions.ctx_{key}",
                               {"exercise": Line(f"exercise.{pairs[key]}.name")}))
    if pairs.get("pain", "").isdigit():
        pieces.append(Line("questions.ctx_pain", {"rating": int(pairs["pain"])}))
    if pairs.get("from") in ("message", "checkin", "session"):
        pieces.append(Line(f"questions.ctx_from_{pairs['from']}"))
    if not pieces:
        return None
    return Line("questions.ctx", {"parts": Join(tuple(pieces), ", ")})


def ordered(questions: list[Question]) -> list[Question]:
    """Open questions first (oldest first), then the answered ones (latest answer first)."""
    open_ = [q for q in questions if q.answered_at is None]
    answered = sorted((q for q in questions if q.answered_at is not None),
                      key=lambda q: q.answered_at or q.asked_at, reverse=True)
    return open_ + answered


def ref(ctx: Context, question: Question) -> str:
    """What a button carries to name a question: its id, or "n<position>" before it has one.

    A question added in this update gets its id only when stored; the position is safe to
    use meanwhile because the button also carries the revision, so any change to the list
    makes it stale before the position could point elsewhere.
    """
    if question.id is not None:
        return str(question.id)
    return f"n{ctx.person.questions.index(question)}"


def find(ctx: Context, reference: str | None) -> Question | None:
    """One of this person's questions by ref(); None for anyone else's, or a gone one."""
    if not reference:
        return None
    questions = ctx.person.questions
    if reference.startswith("n") and reference[1:].isdigit():
        position = int(reference[1:])
        return questions[position] if position < len(questions) else None
    if not reference.isdigit():
        return None
    wanted = int(reference)
    return next((q for q in questions if q.id == wanted), None)


def chosen(ctx: Context) -> Question | None:
    """The question open in the questions flow (its ref is kept in the flow's data)."""
    return find(ctx, str(ctx.person.conversation.data.get("q") or ""))


def pages(questions: list[Question]) -> int:
    """How many pages the list takes (at least one, even when empty)."""
    return max(1, -(-len(questions) // PAGE_SIZE))
