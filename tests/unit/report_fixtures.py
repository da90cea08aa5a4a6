"""Three histories for the visit report (one day, one week, three months), made the same way
every time: a fixed clock and a seeded random generator, through the real build_report and
the real content. Their PDFs' text is kept in tests/unit/fixtures/visit_pdf/ and compared by
test_visit_pdf_fixtures.py.

To write the expected text again after a deliberate change, and look at the pages:
    .venv/bin/python -m tests.unit.report_fixtures --write [--png DIR]
(--png needs pdftoppm, from poppler-utils; it also draws each report's chart.)
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from bot.domain.model import (
    Appointment,
    EndReason,
    ExerciseResult,
    LevelLabel,
    PainMoment,
    PainRating,
    Person,
    PlannedExercise,
    Prescription,
    ProgramChange,
    Question,
    ReminderSettings,
    Session,
    TriageRecord,
)
from bot.export.chart import pain_chart_png
from bot.export.pdf import visit_pdf
from bot.export.report import VisitReport
from bot.loaders.content import load_content
from bot.services.visit_export import History, build_report
from bot.telegram.files import labels_of
from bot.telegram.rendering import render_plain

NOW = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # Monday 7 Dec 2026, 19:00 in Lisbon
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "visit_pdf"
CONTENT = load_content()
TEXTS = CONTENT.locales.texts("en")
EXERCISES = [e.id for e in CONTENT.catalog.exercises]
WORSE = "My pain is getting worse every day, it is worse than last week"
NUMB = "I have numbness and tingling in my left arm since this morning"


def _person(visit: datetime | None, with_whom: str = "Dr Silva") -> Person:
    person = Person(7, 7, "en", NOW - timedelta(days=120))
    person.reminder_settings = ReminderSettings(time_zone="Europe/Lisbon")
    person.program = {e: Prescription(e) for e in EXERCISES}
    person.program["pec_stretch"] = Prescription("pec_stretch", hold_seconds=20, repetitions=4)
    person.program["bird_dog"] = Prescription("bird_dog", enabled=False)
    if visit is not None:
        person.appointment = Appointment(visit, with_whom)
    return person


def _session(start: datetime, results: dict[str, ExerciseResult],
             reason: EndReason = "completed") -> Session:
    return Session(start, [PlannedExercise("cat_camel", 5, 3, "sets")], status="finished",
                   results=results, ended_at=start + timedelta(minutes=18), end_reason=reason)


def _day(history: History, at: datetime, rng: random.Random, level: int,
         stop: tuple[str, str] | None = None) -> None:
    """One session at `at` (before, maybe a stop, after) and an evening check-in."""
    before = max(0, min(10, level + rng.choice((-1, 0, 0, 1))))
    history.pain.append(PainRating(at, before, "before"))
    results: dict[str, ExerciseResult] = {e: "done" for e in EXERCISES if e != "bird_dog"}
    if stop is not None:
        exercise, where = stop
        results[exercise] = "pain"
        history.pain.append(PainRating(at + timedelta(minutes=7), min(10, before + 2),
                                       "during", where, exercise))
    if rng.random() < 0.15:
        results["head_rolls"] = "skipped"
    history.pain.append(PainRating(at + timedelta(minutes=18),
                                   max(0, before - rng.choice((0, 1, 1, 2))), "after"))
    history.sessions.append(_session(at, results,
                                     "ended_early" if stop and rng.random() < 0.5 else "completed"))
    evening = at.replace(hour=20, minute=30)
    if evening > at and evening <= NOW:
        history.pain.append(PainRating(evening, max(0, min(10, level + rng.choice((-1, 0, 1)))),
                                       "checkin"))


def _warning(at: datetime, level: LevelLabel, rule: str | None,
             text: str | None) -> TriageRecord:
    return TriageRecord(at, level, rule, "v1", "message" if text else "session", text)


def one_day() -> History:
    """Today only: a morning session with a stop for pain, the same worry typed twice."""
    rng = random.Random(1)
    history = History(_person(None), [], [], [])
    morning = NOW.replace(hour=8, minute=40)
    _day(history, morning, rng, 5, ("cat_camel", "upper_back"))
    history.pain.append(PainRating(NOW.replace(hour=13, minute=5), 6, "checkin"))
    history.triage.extend([
        _warning(NOW.replace(hour=12, minute=10), "call_doctor", "pain_worse", WORSE),
        _warning(NOW.replace(hour=12, minute=11), "call_doctor", "pain_worse", WORSE),
        _warning(NOW.replace(hour=13, minute=0), "none", None, "thanks"),
    ])
    history.person.questions = [
        Question("Is it normal that my upper back hurts more after cat and camel?",
                 NOW.replace(hour=9), "after=cat_camel;pain=7", id=1)]
    return history


def one_week() -> History:
    """Seven days of sessions and check-ins, two stops, an urgent and a call-doctor sign."""
    rng = random.Random(7)
    visit = datetime(2026, 12, 30, 10, 30, tzinfo=UTC)  # Wednesday 30 December 2026
    history = History(_person(visit, "Dr Maria Fernandes Silva"), [], [], [])
    for days_ago in range(6, -1, -1):
        start = (NOW - timedelta(days=days_ago)).replace(hour=8 + days_ago % 3, minute=15)
        stop = {4: ("pec_stretch", "shoulder"), 1: ("cat_camel", "shoulder_blades")}.get(days_ago)
        _day(history, start, rng, 4 + (days_ago % 3 == 0), stop)
    history.triage.extend([
        _warning(NOW - timedelta(days=3, hours=5), "urgent", "numbness", NUMB),
        _warning(NOW - timedelta(days=1, hours=9), "call_doctor", "pain_worse", WORSE),
        _warning(NOW - timedelta(days=1, hours=2), "call_doctor", "pain_up_from_baseline", None),
    ])
    history.person.questions = [
        Question("Should I keep doing the pec stretch when my shoulder aches?",
                 NOW - timedelta(days=4), "during=pec_stretch;pain=6", id=1),
        Question("Can I go swimming this week?", NOW - timedelta(days=2), id=2),
        Question("Is heat better than ice?", NOW - timedelta(days=6), id=3,
                 answered_at=NOW - timedelta(days=5), answer="Heat, 15 minutes"),
    ]
    return history


def three_months() -> History:
    """Three months: most days a session, many warnings, two program changes."""
    rng = random.Random(90)
    visit = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
    history = History(_person(visit), [], [], [])
    places = ("upper_back", "neck", "shoulder_blades")
    for days_ago in range(90, -1, -1):
        if rng.random() < 0.2:
            continue
        start = (NOW - timedelta(days=days_ago)).replace(hour=rng.choice((7, 8, 12, 18)),
                                                          minute=rng.choice((0, 20, 40)))
        level = 6 - days_ago // 30 + (1 if 40 < days_ago < 48 else 0)
        stop = None
        if rng.random() < 0.1:
            stop = (rng.choice(("cat_camel", "pec_stretch", "head_rolls")), rng.choice(places))
        _day(history, start, rng, level if days_ago < 60 else 3 + days_ago % 2 * 3, stop)
    for days_ago in (62, 61, 60, 59, 44, 43, 20):
        history.triage.append(_warning(NOW - timedelta(days=days_ago, hours=3),
                                       "call_doctor", "pain_worse",
                                       WORSE if days_ago != 43 else "Worse again today"))
    history.triage.extend([
        _warning(NOW - timedelta(days=50, hours=2), "urgent", "numbness", NUMB),
        _warning(NOW - timedelta(days=12, hours=6), "emergency", "heart_attack_signs",
                 "Chest pain going down my left arm and I feel sick"),
        _warning(NOW - timedelta(days=30), "call_doctor", "follow_up_not_reached", None),
        _warning(NOW - timedelta(days=5, hours=1), "emergency", "suicidal_thoughts",
                 "private: never in the report"),
    ])
    history.triage.sort(key=lambda r: r.at)
    history.program_changes.extend([
        ProgramChange(NOW - timedelta(days=58), "dose", "15", "20", "pec_stretch",
                      "hold_seconds"),
        ProgramChange(NOW - timedelta(days=21), "exercises",
                      "head_rolls,scapular_squeeze,pec_stretch,cat_camel,bird_dog",
                      "head_rolls,scapular_squeeze,pec_stretch,cat_camel"),
    ])
    history.person.questions = [
        Question(f"Question {n + 1}: is it fine to {what}?", NOW - timedelta(days=80 - 9 * n),
                 id=n + 1)
        for n, what in enumerate(("do the exercises twice a day", "carry on when I travel",
                                  "use a foam roller", "lift my grandchild", "go back to yoga"))
    ]
    return history


# Rules that come back for someone whose pain flares now and then, with their level.
SIGNS: tuple[tuple[str, LevelLabel], ...] = (
    ("pain_worse", "call_doctor"), ("numbness", "urgent"),
    ("night_or_rest_pain", "call_doctor"), ("fainting", "emergency"))
MOMENTS: tuple[PainMoment, ...] = ("checkin", "before", "during", "after")


def long_history(records: int, seed: int = 20) -> History:
    """`records` records over the year before NOW: ratings, sessions, decisions."""
    rng = random.Random(seed)
    made = History(_person(NOW + timedelta(days=2)), [], [], [])
    step = timedelta(days=365) / records
    for index in range(records):
        at = NOW - timedelta(days=365) + step * index
        kind = rng.random()
        if kind < 0.7:
            moment = rng.choice(MOMENTS)
            where, exercise = ((rng.choice(("neck", "upper_back")), "cat_camel")
                               if moment == "during" else (None, None))
            made.pain.append(PainRating(at, rng.randint(2, 8), moment, where, exercise))
        elif kind < 0.85:
            made.sessions.append(Session(at, [PlannedExercise("cat_camel", 5, 3, "sets")],
                                         status="finished", results={"cat_camel": "done"},
                                         end_reason="completed"))
        else:
            sign: tuple[str | None, LevelLabel] = (
                rng.choice(SIGNS) if rng.random() < 0.1 else (None, "none"))
            rule, level = sign
            made.triage.append(TriageRecord(at, level, rule, "v1", "message",
                                            f"Message {index}: it is worse again today"))
    return made


SCENARIOS: dict[str, Callable[[], History]] = {
    "one_day": one_day, "one_week": one_week, "three_months": three_months}


def report(name: str) -> VisitReport:
    """The scenario's VisitReport, as the bot builds it."""
    return build_report(SCENARIOS[name](), CONTENT.catalog, NOW,
                        lambda line: render_plain(line, TEXTS), labels_of(TEXTS))


def pdf_outline(data: bytes) -> str:
    """The PDF's content as the fixtures keep it: per page, its images and its text lines
    (each line's whitespace made single; a line is where the layout broke it)."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for number, page in enumerate(reader.pages, start=1):
        out.append(f"=== page {number} of {len(reader.pages)}, images: {len(page.images)} ===")
        lines = (" ".join(line.split()) for line in page.extract_text().splitlines())
        out.extend(line for line in lines if line)
    return "\n".join(out) + "\n"


def expected_path(name: str) -> Path:
    """Where the scenario's expected outline is kept."""
    return FIXTURES / f"{name}.txt"


def main(argv: list[str]) -> int:
    """Write the expected outlines (--write), and PNG pages and charts (--png DIR)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--png", type=Path)
    args = parser.parse_args(argv)
    for name in SCENARIOS:
        built = report(name)
        data = visit_pdf(built)
        if args.write:
            expected_path(name).parent.mkdir(parents=True, exist_ok=True)
            expected_path(name).write_text(pdf_outline(data), encoding="utf-8")
        if args.png is not None:
            _pngs(args.png, name, data, built)
    return 0


def _pngs(folder: Path, name: str, data: bytes, built: VisitReport) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(data)
    (folder / f"{name}-chart.png").write_bytes(pain_chart_png(built))
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (poppler-utils): pages not drawn", file=sys.stderr)
        return
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(folder / f"{name}.pdf"),
                    str(folder / name)], check=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
