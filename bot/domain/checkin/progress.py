"""How it has gone, in a few words: the pain of the last weeks and the sessions done."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from bot.domain.engine.replies import Join, Line
from bot.domain.model import PainRating, Session

WINDOW_DAYS = 14
SAME = 0.5  # a change in average smaller than this is "about the same"


def summary(pain: list[PainRating], sessions: list[Session], now: datetime) -> Line:
    """The last two weeks against the two before, and the sessions of the last 7 days."""
    recent = sorted((r for r in pain if now - timedelta(days=WINDOW_DAYS) <= r.at <= now),
                    key=lambda r: r.at)
    if not recent:
        return Line("visit.progress_none")
    before = [r.rating for r in pain
              if now - timedelta(days=2 * WINDOW_DAYS) <= r.at < now - timedelta(days=WINDOW_DAYS)]
    average = statistics.fmean(r.rating for r in recent)
    week = sum(1 for s in sessions if now - timedelta(days=7) <= s.started_at <= now)
    parts = [_ratings(len(recent), average, recent[-1].rating)]
    trend = _trend(average, before)
    if trend is not None:
        parts.append(trend)
    parts.append(_sessions(week))
    return Line("visit.progress", {"days": WINDOW_DAYS, "lines": Join(tuple(parts))})


def _ratings(count: int, average: float, latest: int) -> Line:
    """How many ratings, their average and the latest, each said as what it is."""
    if count == 1:
        return Line("visit.ratings_one", {"latest": latest})
    return Line("visit.ratings", {"count": count, "average": f"{average:.1f}",
                                  "latest": latest})


def _trend(average: float, before: list[int]) -> Line | None:
    """This fortnight's average against the one before (averages, never the latest)."""
    if not before:
        return None
    earlier = statistics.fmean(before)
    if abs(average - earlier) < SAME:
        return Line("visit.trend_same", {"before": f"{earlier:.1f}"})
    key = "visit.trend_down" if average < earlier else "visit.trend_up"
    return Line(key, {"before": f"{earlier:.1f}"})


def _sessions(count: int) -> Line:
    """'No sessions', '1 session' or '3 sessions' in the last 7 days."""
    if count == 0:
        return Line("visit.sessions_none")
    if count == 1:
        return Line("visit.sessions_one")
    return Line("visit.sessions_many", {"count": count})
