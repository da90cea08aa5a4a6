"""From a person's history to the visit report and the /progress summary; what /export sends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.content_loader import load_content
from bot.domain import progress
from bot.domain.model import (
    Appointment,
    PainRating,
    Person,
    PlannedExercise,
    Question,
    ReminderSettings,
    Session,
    TriageRecord,
)
from bot.export.pdf import visit_pdf
from bot.rendering import render_plain
from bot.services.visit_export import History, build_report, weeks_of
from bot.telegram.files import labels_of, visit_files
from bot.telegram.outbound import split_for_telegram

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # a Friday
CONTENT = load_content()
TEXTS = CONTENT.locales.texts("en")
CATALOG = CONTENT.catalog


def words(line: object) -> str:
    return render_plain(line, TEXTS)  # type: ignore[arg-type]


def session(days_ago: float, results: dict[str, str], reason: str = "completed") -> Session:
    started = NOW - timedelta(days=days_ago)
    return Session(started, [PlannedExercise("cat_camel", 5, 10, "repetitions")],
                   status="finished", results=results, ended_at=started + timedelta(minutes=20),
                   end_reason=reason)


def rating(days_ago: float, value: int, moment: str = "checkin") -> PainRating:
    return PainRating(NOW - timedelta(days=days_ago), value, moment)


def history(**changes: object) -> History:
    person = Person(7, 7, "en", NOW - timedelta(days=60))
    person.reminder_settings = ReminderSettings(time_zone="Europe/Lisbon")
    person.appointment = Appointment(datetime(2026, 3, 30, 9, 30, tzinfo=UTC), "Dr Silva")
    person.questions = [
        Question("Heat or ice?", NOW - timedelta(days=9), id=1, answered_at=NOW,
                 answer="Heat"),
        Question("Can I swim?", NOW - timedelta(days=2), "after=cat_camel;pain=6", id=2),
    ]
    parts: dict[str, object] = {
        "person": person,
        "pain": [rating(3, 5, "before"), rating(2, 4)],
        "sessions": [session(3, {"cat_camel": "done", "pec_stretch": "skipped"}),
                     session(12, {"cat_camel": "pain"}, "ended_early")],
        "triage": [TriageRecord(NOW - timedelta(days=4), "none", None, "v", "message"),
                   TriageRecord(NOW - timedelta(days=1), "call_doctor", "new_pain", "v",
                                "checkin")],
    }
    parts.update(changes)
    return History(**parts)  # type: ignore[arg-type]


def test_the_report_puts_contexts_and_signs_into_words() -> None:
    report = build_report(history(), CATALOG, NOW, words, labels_of(TEXTS), "Mia")
    assert [q.text for q in report.questions] == ["Can I swim?", "Heat or ice?"]  # open first
    assert report.questions[0].context == "after Cat and camel, pain 6/10"


def test_a_crisis_stays_out_of_the_report_the_person_hands_over() -> None:
    records = [TriageRecord(NOW - timedelta(days=2), "emergency", "suicidal_thoughts", "v",
                            "message", "i want to die"),
               TriageRecord(NOW - timedelta(days=1), "urgent", "fever", "v", "message")]
    report = build_report(history(triage=records), CATALOG, NOW, words, labels_of(TEXTS))
    assert [(e.level, e.about) for e in report.escalations] == [("urgent", "A fever")]


def test_a_context_of_three_parts_keeps_a_comma_between_each() -> None:
    person = history().person
    person.questions[1].context = "during=cat_camel;pain=6;from=checkin"
    report = build_report(history(person=person), CATALOG, NOW, words, labels_of(TEXTS))
    assert report.questions[0].context == "during Cat and camel, pain 6/10, at a check-in"


def test_a_context_naming_an_exercise_no_longer_in_the_program_drops_it() -> None:
    person = history().person
    person.questions[1].context = "after=retired_exercise;pain=6"
    report = build_report(history(person=person), CATALOG, NOW, words, labels_of(TEXTS))
    assert report.questions[0].context == "pain 6/10"
    assert report.questions[1].answer == "Heat"
    assert [(e.level, e.about) for e in report.escalations] == [
        ("call_doctor", "New pain in a new place")]  # "none" decisions are not warning signs
    assert report.visit is not None and report.visit.with_whom == "Dr Silva"
    assert report.visit.starts_at.isoformat() == "2026-03-30T10:30:00+01:00"  # summer time
    assert report.labels["title_with_date"].startswith("Questions for my visit on")


def test_sessions_are_counted_by_local_week() -> None:
    weeks = weeks_of(history().sessions, UTC)
    assert [(w.week_start, w.sessions, w.completed, w.exercises_done, w.exercises_skipped,
             w.exercises_stopped_for_pain) for w in weeks] == [
        (date(2026, 3, 2), 1, 0, 0, 0, 1), (date(2026, 3, 16), 1, 1, 1, 1, 0)]


def test_the_export_text_splits_into_telegram_sized_messages() -> None:
    many = [Question(f"Question {n}: " + "word " * 390, NOW - timedelta(hours=n), id=n + 1)
            for n in range(50)]
    person = history().person
    person.questions = many
    report = build_report(history(person=person), CATALOG, NOW, words, labels_of(TEXTS))
    files = visit_files(report, "7", visit_pdf(report), TEXTS)
    assert [f.filename for f in files] == ["questions.txt", "backcoach-visit-2026-03-30.pdf",
                                           "backcoach-visit.ics"]
    pieces = split_for_telegram(files[0].content.decode())
    assert len(pieces) > 20 and all(len(piece) <= 4096 for piece in pieces)
    joined = "\n".join(pieces)
    positions = [joined.index(f"Question {n}:") for n in range(50)]
    assert positions == sorted(positions)


def test_progress_compares_two_weeks_with_the_two_before() -> None:
    pain = [rating(20, 7), rating(18, 6), rating(5, 4), rating(1, 3)]
    line = progress.summary(pain, [session(2, {}), session(9, {})], NOW)
    text = words(line)
    assert "Ratings: 2, average 3.5/10. Latest 3/10" in text
    assert "lower than two weeks ago (6.5/10)" in text
    assert "Sessions in the last 7 days: 1." in text


def test_progress_with_no_ratings_says_how_to_add_them() -> None:
    assert "haven't rated your pain" in words(progress.summary([rating(30, 5)], [], NOW))


def test_progress_about_the_same_or_higher() -> None:
    same = words(progress.summary([rating(20, 4), rating(2, 4)], [], NOW))
    assert "about the same" in same
    higher = words(progress.summary([rating(20, 2), rating(2, 5)], [], NOW))
    assert "higher than two weeks ago (2.0/10)" in higher
