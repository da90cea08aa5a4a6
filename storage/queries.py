"""Queries and checks the repositories share, kept apart to keep each module short."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select

from storage.models import PainRatingRow

# How far back Person.recent_pain reaches: the person's own baseline.
RECENT_PAIN_WINDOW = timedelta(days=14)


def recent_pain_query(person_id: int, now: datetime) -> Select[tuple[PainRatingRow]]:
    """The recent_pain query: a person's ratings in [now - RECENT_PAIN_WINDOW, now].

    Oldest first; it walks ix_pain_ratings_person_id_at (person_id, at).
    """
    return (
        select(PainRatingRow)
        .where(
            PainRatingRow.person_id == person_id,
            PainRatingRow.at >= now - RECENT_PAIN_WINDOW,
            PainRatingRow.at <= now,
        )
        .order_by(PainRatingRow.at, PainRatingRow.id)
    )
