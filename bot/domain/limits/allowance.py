"""How much one person may add in a day, how soon they may ask for a document again, and
which of the buttons that work from any state are still live.

All of it is bookkeeping kept on the person (one JSON column), so knowing it costs no
query. Days are UTC days: a cap is a bound on growth, not a promise about someone's
local calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.domain.engine.replies import Line, Reply, Say
from bot.domain.model import Allowance, Person

# What one person may add per UTC day. Each is far above what recovery asks for (one or two
# sessions and a check-in a day), and low enough that a script pressing buttons all day
# adds a few kilobytes, not megabytes. README "Bounded work per person" says why each.
DAILY_CAPS: dict[str, int] = {
    "warning_words": 20,    # warning-sign records kept with the words of the message
    "warning_records": 100,  # warning-sign decisions kept at all (past 20, without words)
    "pain": 40,             # pain ratings (check-ins, before/during/after sessions)
    "snooze": 6,            # snoozes of the session reminder
    "session": 10,          # sessions started
    "reminder_change": 30,  # reminder or appointment changes (each plans reminder rows)
    "share": 10,            # progress pages shared (each a row and a token)
}
PENDING = -1  # a live button family opened in this update; handle() stamps its revision


@dataclass(frozen=True)
class Limits:
    """What the operator sets: how soon each document may be asked for again."""

    document_cooldown: timedelta = timedelta(seconds=120)
    # Whether the bot serves its pages somewhere people can reach (bot/web/pages.py): a
    # progress page can only be shared then.
    sharing: bool = False


def _today(allowance: Allowance, now: datetime) -> dict[str, int]:
    if allowance.day != now.date():
        allowance.day, allowance.counts = now.date(), {}
    return allowance.counts


def left(person: Person, kind: str, now: datetime) -> int:
    """How many more of `kind` the person may add today."""
    return max(0, DAILY_CAPS[kind] - _today(person.allowance, now).get(kind, 0))


def take(person: Person, kind: str, now: datetime) -> bool:
    """Count one more of `kind` today; False (nothing counted) at the cap."""
    counts = _today(person.allowance, now)
    if counts.get(kind, 0) >= DAILY_CAPS[kind]:
        return False
    counts[kind] = counts.get(kind, 0) + 1
    return True


def wait_before(person: Person, kind: str, now: datetime, limits: Limits) -> timedelta | None:
    """How long until `kind` may be sent again, or None when it may be sent now (noted)."""
    last = person.allowance.sent.get(kind)
    if last is not None and now - last < limits.document_cooldown:
        return limits.document_cooldown - (now - last)
    person.allowance.sent[kind] = now
    return None


def cooldown_reply(wait: timedelta) -> Say:
    """'You can ask again in about N minutes', rounded up, never 0."""
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return Say((Line("data.cooldown", {"minutes": minutes}),))


def open_buttons(person: Person, family: str) -> None:
    """The buttons of a message sent in this update work from any state until answered."""
    person.allowance.live[family] = PENDING


def stamp(person: Person, revision: int) -> None:
    """Give the families opened in this update the revision their buttons carry."""
    for family, drawn_at in person.allowance.live.items():
        if drawn_at == PENDING:
            person.allowance.live[family] = revision


def is_live(person: Person, family: str, revision: int) -> bool:
    """True when a press carries the revision of the family's latest unanswered message."""
    return person.allowance.live.get(family) == revision


def close(person: Person, family: str) -> None:
    """Answered: older presses of this family's buttons change nothing any more."""
    person.allowance.live.pop(family, None)


def bound_new_rows(person: Person, now: datetime, records_before: int = 0,
                   ratings_before: int = 0) -> list[Reply]:
    """Trim what this update added (past the `*_before` first ones) beyond today's caps,
    after its replies were decided.

    Runs after routing, so a warning sign's answer is never touched: past the caps only
    fewer copies are stored (first without the words, then not at all).
    """
    kept = person.new_triage_records[:records_before]
    for record in person.new_triage_records[records_before:]:
        if not take(person, "warning_records", now):
            continue
        if record.text is not None and not take(person, "warning_words", now):
            record.text = None
        kept.append(record)
    person.new_triage_records = kept
    added = person.new_pain_ratings[ratings_before:]
    ratings = [r for r in added if take(person, "pain", now)]
    person.new_pain_ratings = person.new_pain_ratings[:ratings_before] + ratings
    return [Say((Line("data.pain_cap"),))] if len(ratings) < len(added) else []


def to_json(allowance: Allowance) -> dict[str, Any]:
    """The allowance as JSON-ready data."""
    return {"day": allowance.day.isoformat() if allowance.day else None,
            "counts": dict(allowance.counts),
            "sent": {kind: at.isoformat() for kind, at in allowance.sent.items()},
            "live": dict(allowance.live)}


def from_json(data: dict[str, Any] | None) -> Allowance:
    """The allowance to_json() wrote (an empty one for None: rows from before it)."""
    if not data:
        return Allowance()
    day = data.get("day")
    return Allowance(date.fromisoformat(day) if day else None,
                     {str(k): int(v) for k, v in (data.get("counts") or {}).items()},
                     {str(k): datetime.fromisoformat(v)
                      for k, v in (data.get("sent") or {}).items()},
                     {str(k): int(v) for k, v in (data.get("live") or {}).items()})
