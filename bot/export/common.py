"""What the export renderers share: labels, the person's zone, dates in words, clean text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo
from statistics import fmean

from bot.domain.reminders.timezones import zone
from bot.export.report import QuestionItem, VisitReport

LABEL_KEYS: tuple[str, ...] = (
    "title_with_date", "title_no_date",
    "question.asked", "question.asked_context", "question.answered", "question.answer",
    "question.none",
    "date.long", "date.medium", "date.short", "date.time", "date.date_time",
    *(f"weekday.{n}" for n in range(1, 8)),
    *(f"month.{n}" for n in range(1, 13)),
    *(f"month_short.{n}" for n in range(1, 13)),
)

_SPACE = re.compile(r"\s+")


def say(labels: Mapping[str, str], key: str, **values: object) -> str:
    """The label `key` with its {placeholders} filled in."""
    return labels[key].format(**values)


def zone_of(report: VisitReport) -> tzinfo:
    """The person's tzinfo; UTC when the stored zone is unusable, so an export never fails."""
    try:
        return zone(report.zone)
    except ValueError:
        return UTC


def local(moment: datetime, tz: tzinfo) -> datetime:
    """`moment` on the person's clock; a naive time is taken as UTC, as the database stores."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


def long_date(day: date, labels: Mapping[str, str]) -> str:
    """'Tuesday 8 December 2026'."""
    return say(labels, "date.long", weekday=labels[f"weekday.{day.isoweekday()}"],
               day=day.day, month=labels[f"month.{day.month}"], year=day.year)


def medium_date(day: date, labels: Mapping[str, str]) -> str:
    """'8 Dec 2026'."""
    return say(labels, "date.medium", day=day.day,
               month_short=labels[f"month_short.{day.month}"], year=day.year)


def short_date(day: date, labels: Mapping[str, str], this_year: int | None = None) -> str:
    """'8 Dec', or '8 Dec 2025' when the year is not `this_year`."""
    if this_year is not None and day.year != this_year:
        return medium_date(day, labels)
    return say(labels, "date.short", day=day.day, month_short=labels[f"month_short.{day.month}"])


def clock(moment: datetime, labels: Mapping[str, str]) -> str:
    """'14:05' (the wall time of `moment`, which the caller has made local)."""
    return say(labels, "date.time", hour=f"{moment.hour:02d}", minute=f"{moment.minute:02d}")


def date_time(moment: datetime, labels: Mapping[str, str]) -> str:
    """'8 Dec 2026, 14:05'."""
    return say(labels, "date.date_time", date=medium_date(moment.date(), labels),
               time=clock(moment, labels))


def title(report: VisitReport) -> str:
    """The heading of the export, with the visit's date when there is one."""
    if report.visit is None:
        return report.labels["title_no_date"]
    day = local(report.visit.starts_at, zone_of(report)).date()
    return say(report.labels, "title_with_date", date=long_date(day, report.labels))


def pain_summary(report: VisitReport) -> str:
    """'12 ratings from 3 Nov to 1 Dec 2026: average 4.2, latest 3, highest 8 (...)'."""
    points = sorted(report.pain, key=lambda p: p.at)
    labels, tz = report.labels, zone_of(report)
    if not points:
        return labels["pain.none"]
    first, last = (medium_date(local(p.at, tz).date(), labels) for p in (points[0], points[-1]))
    ratings = [p.rating for p in points]
    key = ("pain.summary_one" if len(points) == 1 else
           "pain.summary_day" if first == last else "pain.summary")
    return say(labels, key, count=len(points), first=first, last=last,
               average=f"{fmean(ratings):.1f}", latest=ratings[-1], highest=max(ratings))


def clean(text: str) -> str:
    """Typed text on one line: composed accents, no control characters, single spaces."""
    composed = unicodedata.normalize("NFC", text)
    # Lone surrogates cannot be encoded for Telegram or a file; control characters are noise.
    kept = "".join(
        "\ufffd" if unicodedata.category(ch) == "Cs"
        else " " if unicodedata.category(ch) == "Cc"
        else ch
        for ch in composed
    )
    return _SPACE.sub(" ", kept).strip()


def open_questions(report: VisitReport) -> list[QuestionItem]:
    """The questions not answered yet, in the report's order."""
    return [q for q in report.questions if q.answered_at is None]


def answered_questions(report: VisitReport) -> list[QuestionItem]:
    """The answered questions, in the report's order."""
    return [q for q in report.questions if q.answered_at is not None]


def asked_detail(question: QuestionItem, report: VisitReport) -> str:
    """'asked 3 Dec, after cat and camel, pain 6/10'."""
    this_year = local(report.generated_at, zone_of(report)).year
    day = short_date(local(question.asked_at, zone_of(report)).date(), report.labels, this_year)
    context = clean(question.context or "")
    if context:
        return say(report.labels, "question.asked_context", date=day, context=context)
    return say(report.labels, "question.asked", date=day)


def answered_detail(question: QuestionItem, report: VisitReport) -> str:
    """'answered 5 Dec' (empty for an open question)."""
    if question.answered_at is None:
        return ""
    this_year = local(report.generated_at, zone_of(report)).year
    day = short_date(local(question.answered_at, zone_of(report)).date(), report.labels, this_year)
    return say(report.labels, "question.answered", date=day)
