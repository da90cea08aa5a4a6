"""The visit as a calendar entry (.ics): when, with whom, the questions, a reminder a day ahead."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from bot.export.common import clean, local, open_questions, say, zone_of
from bot.export.report import Visit, VisitReport

PRODID = "-//Backcoach//Visit export//EN"
LABEL_KEYS: tuple[str, ...] = (
    "calendar.summary_with", "calendar.summary", "calendar.questions", "calendar.alarm",
    "question.none",
)
# The VTIMEZONE only has to cover the visit; a year either side keeps the file small.
_ZONE_MARGIN = timedelta(days=366)


def visit_ics(report: VisitReport, uid_seed: str) -> bytes | None:
    """An iCalendar file with the visit as one event, or None when no visit is set."""
    visit = report.visit
    if visit is None:
        return None
    start, end = _start_end(visit, zone_of(report))
    summary = _summary(report, visit)
    event = Event()
    event.add("uid", uid(uid_seed))
    event.add("dtstamp", local(report.generated_at, UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", _description(report))
    event.add_component(_alarm(say(report.labels, "calendar.alarm", summary=summary)))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    if isinstance(start.tzinfo, ZoneInfo):
        calendar.add_missing_timezones(first_date=(start - _ZONE_MARGIN).date(),
                                       last_date=(start + _ZONE_MARGIN).date())
    ical: bytes = calendar.to_ical()  # icalendar annotates it loosely
    return ical


def uid(seed: str) -> str:
    """A stable event UID: the same seed gives the same event, so re-importing updates it."""
    digest = hashlib.sha256(seed.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{digest}@backcoach"


def _start_end(visit: Visit, tz: tzinfo) -> tuple[datetime, datetime]:
    """Start and end in the named zone (a TZID calendars follow across DST), else in UTC."""
    start = local(visit.starts_at, UTC)
    # Elapsed minutes, not wall-clock ones, which a clock change would shift.
    end = start + timedelta(minutes=max(1, visit.minutes))
    if not isinstance(tz, ZoneInfo):
        # A fixed offset has no TZID a calendar knows; UTC names the same instant everywhere.
        return start, end
    named = local(start, tz), local(end, tz)
    # A wall time the clocks show twice is read as the first time (RFC 5545, 3.3.5).
    if any(moment.replace(fold=0).astimezone(UTC) != moment for moment in named):
        return start, end
    return named


def _summary(report: VisitReport, visit: Visit) -> str:
    """'Visit with Dr Silva', or a plain 'Health visit' when nobody is named."""
    who = clean(visit.with_whom)
    if who:
        return say(report.labels, "calendar.summary_with", who=who)
    return report.labels["calendar.summary"]


def _description(report: VisitReport) -> str:
    """The open questions as a numbered plain-text list."""
    questions = open_questions(report)
    if not questions:
        return report.labels["question.none"]
    numbered = (f"{n}. {clean(q.text)}" for n, q in enumerate(questions, start=1))
    return "\n".join([report.labels["calendar.questions"], *numbered])


def _alarm(description: str) -> Alarm:
    """A display reminder one day before the start."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", description)
    return alarm
