"""Conversion between the domain Session / PainRating and their rows.

A session row has columns for what is queried or reported on (status, times, end reason,
the running hold's deadline) and a JSON `progress` document with everything else:

    {"version": 1,
     "plan": [{"exercise_id", "hold_seconds", "rounds", "round_kind"}, ...],
     "cursor": {"exercise", "round", "side", "step"},
     "hold": null | {"started_at", "deadline", "message_id"},
     "results": {exercise_id: "done" | "skipped" | "pain"},
     "pain_before": int | null, "pain_after": int | null,
     "advised": ["call_doctor", ...]}  (optional: absent in rows written before it)

Datetimes in it are ISO 8601 strings in UTC with an explicit offset.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.model import (
    END_REASONS,
    PAIN_MOMENTS,
    ROUND_KINDS,
    SESSION_STATUSES,
    Cursor,
    Hold,
    PainRating,
    PlannedExercise,
    Session,
    one_of,
)
from storage.models import PainRatingRow, SessionRow

PROGRESS_VERSION = 1


def session_from_row(row: SessionRow) -> Session:
    """A fresh domain Session from its row; shares no mutable data with the row."""
    progress = row.progress
    version = progress.get("version")
    if version != PROGRESS_VERSION:
        raise ValueError(f"session {row.id}: unknown progress version {version!r}")
    hold = progress.get("hold")
    return Session(
        id=row.id,
        status=one_of(row.status, SESSION_STATUSES),
        started_at=row.started_at,
        ended_at=row.ended_at,
        end_reason=None if row.end_reason is None else one_of(row.end_reason, END_REASONS),
        plan=[
            PlannedExercise(
                exercise_id=item["exercise_id"],
                hold_seconds=item["hold_seconds"],
                rounds=item["rounds"],
                round_kind=one_of(item["round_kind"], ROUND_KINDS),
            )
            for item in progress["plan"]
        ],
        cursor=Cursor(**progress["cursor"]),
        hold=None
        if hold is None
        else Hold(
            started_at=_parse(hold["started_at"]),
            deadline=_parse(hold["deadline"]),
            message_id=hold.get("message_id"),
        ),
        results=dict(progress.get("results", {})),
        pain_before=progress.get("pain_before"),
        pain_after=progress.get("pain_after"),
        advised=list(progress.get("advised", [])),
    )


def write_session(row: SessionRow, session: Session) -> None:
    """Copy every field of `session` except its id into `row`."""
    row.status = session.status
    row.started_at = session.started_at
    row.ended_at = session.ended_at
    row.end_reason = session.end_reason
    row.hold_deadline = None if session.hold is None else session.hold.deadline
    # A new document every time: the ORM compares it with the loaded one and writes
    # only when something changed.
    row.progress = progress_document(session)


def progress_document(session: Session) -> dict[str, Any]:
    """The JSON `progress` of a session row."""
    hold = session.hold
    return {
        "version": PROGRESS_VERSION,
        "plan": [
            {
                "exercise_id": item.exercise_id,
                "hold_seconds": item.hold_seconds,
                "rounds": item.rounds,
                "round_kind": item.round_kind,
            }
            for item in session.plan
        ],
        "cursor": {
            "exercise": session.cursor.exercise,
            "round": session.cursor.round,
            "side": session.cursor.side,
            "step": session.cursor.step,
        },
        "hold": None
        if hold is None
        else {
            "started_at": _format(hold.started_at),
            "deadline": _format(hold.deadline),
            "message_id": hold.message_id,
        },
        "results": dict(session.results),
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "advised": list(session.advised),
    }


def pain_rating_row(person_id: int, session_id: int | None, rating: PainRating) -> PainRatingRow:
    """A new pain_ratings row for `rating`."""
    return PainRatingRow(
        person_id=person_id,
        session_id=session_id,
        at=rating.at,
        rating=rating.rating,
        moment=rating.moment,
        location=rating.where,
        exercise_id=rating.exercise_id,
    )


def pain_rating_from_row(row: PainRatingRow) -> PainRating:
    """The domain PainRating of a row."""
    return PainRating(
        at=row.at,
        rating=row.rating,
        moment=one_of(row.moment, PAIN_MOMENTS),
        where=row.location,
        exercise_id=row.exercise_id,
    )


def _format(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # Same rule as the UTCDateTime columns: a naive time would be guessed wrong.
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware time")
    return moment.astimezone(UTC).isoformat()


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
