"""How it has gone, in a few words: the pain of the last weeks and the sessions done."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from bot.domain.model import PainRating, Session
from bot.domain.replies import Line

WINDOW_DAYS = 14
SAME = 0.5  # a change in average smaller than this is "about the same"


def summary(pain: list[PainRating], sessions: list[Session], now: datetime) -> Line:
    """The last two weeks against the two before, and the sessions of the last 7 days."""
    recent = [r for r in pain if now - timedelta(days=WINDOW_DAYS) <= r.at <= now]
    if not recent:
        return Line("visit.progress_none")
    before = [r.rating for r in pain
              if now - timedelta(days=2 * WINDOW_DAYS) <= r.at < now - timedelta(days=WINDOW_DAYS)]
    average = statistics.fmean(r.rating for r in recent)
    week = sum(1 for s in sessions if now - timedelta(days=7) <= s.started_at <= now)
    return Line("visit.progress", {
        "days": WINDOW_DAYS, "count": len(recent), "average": f"{average:.1f}",
        "latest": max(recent, key=lambda r: r.at).rating,
        "trend": _trend(average, before), "sessions": week,
    })


def _trend(average: float, before: list[int]) -> Line:
    if not before:
        return Line("visit.trend_none")
    earlier = statistics.fmean(before)
    if abs(average - earlier) < SAME:
        return Line("visit.trend_same")
    key = "visit.trend_down" if average < earlier else "visit.trend_up"
    return Line(key, {"before": f"{earlier:.1f}"})
