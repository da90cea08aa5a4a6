"""Gathering what goes to the appointment: the questions, the pain, the sessions and the
warning signs, as one VisitReport (bot.export renders it; nothing here draws or formats)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from bot.domain.catalog import Catalog
from bot.domain.checkin import progress
from bot.domain.engine.replies import Join, Line
from bot.domain.model import (
    PainRating,
    Person,
    ProgramChange,
    Question,
    Session,
    TriageRecord,
)
from bot.domain.onboarding.prompts import dose_summary
from bot.domain.questions import book as question_book
from bot.domain.reminders.timezones import zone
from bot.export.report import (
    EscalationItem,
    PainPoint,
    PainStop,
    ProgramItem,
    QuestionItem,
    Visit,
    VisitReport,
    WeekAdherence,
)
from bot.export.report import ProgramChange as ReportChange
from bot.services.ports import UnitOfWork

Words = Callable[[Line], str]  # a Line in the person's language, as plain text
ESCALATIONS = ("emergency", "urgent", "call_doctor")


@dataclass(frozen=True)
class History:
    """Everything stored about a person that the export and /progress look at."""

    person: Person
    pain: list[PainRating]
    sessions: list[Session]
    triage: list[TriageRecord]
    program_changes: list[ProgramChange] = field(default_factory=list)  # oldest first


async def load_history(uow: UnitOfWork, telegram_user_id: int) -> History | None:
    """The person and their whole history, in one transaction; None when unknown."""
    async with uow:
        person = await uow.people.get(telegram_user_id)
        if person is None:
            return None
        return History(person, await uow.people.pain_history(telegram_user_id),
                       await uow.people.session_history(telegram_user_id),
                       await uow.people.triage_history(telegram_user_id),
                       await uow.people.program_history(telegram_user_id))


def person_zone(person: Person) -> tuple[str, tzinfo]:
    """The person's zone name and tzinfo (UTC until they set one)."""
    name = person.reminder_settings.time_zone or "UTC+00:00"
    try:
        return name, zone(name)
    except ValueError:
        return "UTC+00:00", zone("UTC+00:00")


def build_report(history: History, catalog: Catalog, now: datetime, words: Words,
                 labels: Mapping[str, str]) -> VisitReport:
    """The VisitReport of a history, with contexts and warning signs put into words."""
    person = history.person
    name, tz = person_zone(person)
    visit = None
    if person.appointment is not None:
        visit = Visit(person.appointment.at.astimezone(tz), person.appointment.with_whom)
    return VisitReport(
        zone=name, generated_at=now, visit=visit,
        questions=[_question(q, catalog, words)
                   for q in question_book.ordered(person.questions)],
        pain=[PainPoint(r.at, r.rating, r.moment) for r in history.pain],
        weeks=weeks_of(history.sessions, tz),
        escalations=[EscalationItem(r.at, r.level, _sign(r.rule, words, labels), r.text)
                     for r in history.triage
                     if r.level in ESCALATIONS and not _private(r.rule, catalog)],
        program=program_of(person, catalog, words),
        program_changes=[change_in_words(c, catalog, words)
                         for c in sorted(history.program_changes, key=lambda c: c.at)],
        stops=[_stop(r, words) for r in history.pain
               if r.moment == "during" and r.exercise_id is not None],
        labels=labels,
        program_changed=program_change_days(history, tz),
        program_from_link=max((c.at for c in history.program_changes if c.what == "provider"),
                              default=None),
    )


def program_change_days(history: History, tz: tzinfo) -> list[date]:
    """The local days on which the program was changed (/program), oldest first, each once."""
    return sorted({change.at.astimezone(tz).date() for change in history.program_changes})


def change_in_words(change: ProgramChange, catalog: Catalog, words: Words) -> ReportChange:
    """One /program change as the report says it: what, from what, to what."""
    if change.what == "exercises":
        return ReportChange(change.at, _exercises_change(change, catalog, words))
    if change.what == "provider":
        ids = set((change.after or "").split(","))
        named = tuple(Line(f"exercise.{e.id}.name") for e in catalog.exercises if e.id in ids)
        return ReportChange(change.at, words(Line("program.report_provider",
                                                  {"names": Join(named, ", ")})))
    if change.what == "dose":
        line = Line("program.report_dose", {
            "name": Line(f"exercise.{change.exercise_id}.name"),
            "field": Line(f"dose.name_{change.dose_field}"),
            "before": change.before or "", "after": change.after or ""})
    else:
        # A country's name without its flag: the PDF's font has no flag pictures.
        before, after = (_no_flag(words(Line(f"country.{code}"))) if code
                         else Line("program.report_no_country")
                         for code in (change.before, change.after))
        line = Line("program.report_country", {"before": before, "after": after})
    return ReportChange(change.at, words(line))


def _no_flag(name: str) -> str:
    return "".join(ch for ch in name if not 0x1F1E6 <= ord(ch) <= 0x1F1FF).strip()


def _exercises_change(change: ProgramChange, catalog: Catalog, words: Words) -> str:
    """'Stopped: Bird dog; added: Cat and camel', in program order."""
    before, after = (set((ids or "").split(",")) for ids in (change.before, change.after))
    parts = []
    for key, ids in (("program.report_removed", before - after),
                     ("program.report_added", after - before)):
        named = tuple(Line(f"exercise.{e.id}.name") for e in catalog.exercises if e.id in ids)
        if named:
            parts.append(words(Line(key, {"names": Join(named, ", ")})))
    return "; ".join(parts)


def program_of(person: Person, catalog: Catalog, words: Words) -> list[ProgramItem]:
    """The exercises switched on now, in program order, each with its dose in words."""
    items = []
    for exercise in catalog.exercises:
        prescription = person.program.get(exercise.id)
        if prescription is None or not prescription.enabled:
            continue
        dose = dose_summary(exercise, prescription)
        items.append(ProgramItem(words(Line(f"exercise.{exercise.id}.name")),
                                 dose.separator.join(words(part) for part in dose.items)))
    return items


def _stop(rating: PainRating, words: Words) -> PainStop:
    """An 'it hurts, stop': the exercise, the rating and the place, in words."""
    where = words(Line(f"session.place_{rating.where}")) if rating.where else None
    return PainStop(rating.at, words(Line(f"exercise.{rating.exercise_id}.name")),
                    rating.rating, where)


def progress_line(history: History, now: datetime) -> Line:
    """The /progress summary."""
    return progress.summary(history.pain, history.sessions, now)


def _question(question: Question, catalog: Catalog, words: Words) -> QuestionItem:
    context = question_book.context_line(question.context, catalog)
    return QuestionItem(question.text, question.asked_at, words(context) if context else None,
                        question.answered_at, question.answer)


def _private(rule: str | None, catalog: Catalog) -> bool:
    """A crisis (thoughts of suicide or self-harm) stays out of the report the person hands
    over: it is theirs to tell. It is in /mydata, like every decision."""
    if rule is None or catalog.triage is None:
        return False
    found = [r for r in catalog.triage.catalogue.rules if r.id == rule]
    return bool(found) and found[0].response == "crisis"


def _sign(rule: str | None, words: Words, labels: Mapping[str, str]) -> str:
    """The sign in the report's first-person voice (export.sign.*) where the chat's wording
    addresses the person ("your"), else as the chat says it."""
    if rule is None:
        return words(Line("triage.sign_unknown"))
    return labels.get(f"sign.{rule}") or words(Line(f"triage.sign.{rule}"))


def weeks_of(sessions: list[Session], tz: tzinfo) -> list[WeekAdherence]:
    """Sessions grouped by local week (Monday first), oldest first, with exercise outcomes."""
    by_week: dict[date, list[Session]] = {}
    for session in sessions:
        day = session.started_at.astimezone(tz).date()
        by_week.setdefault(day - timedelta(days=day.weekday()), []).append(session)
    weeks = []
    for start in sorted(by_week):
        outcomes: Counter[str] = Counter()
        for session in by_week[start]:
            outcomes.update(session.results.values())
        weeks.append(WeekAdherence(
            week_start=start, sessions=len(by_week[start]),
            completed=sum(s.end_reason == "completed" for s in by_week[start]),
            exercises_done=outcomes["done"], exercises_skipped=outcomes["skipped"],
            exercises_stopped_for_pain=outcomes["pain"]))
    return weeks
