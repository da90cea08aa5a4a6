"""From a person's history to the visit report and the /progress summary; what /export sends."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from typing import TypedDict, Unpack

from bot.domain.checkin import progress
from bot.domain.engine.replies import Line
from bot.domain.model import (
    Appointment,
    EndReason,
    ExerciseResult,
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
from bot.export.pdf import visit_pdf
from bot.loaders.content import load_content
from bot.services.documents import visit_files
from bot.services.visit_export import History, build_report, weeks_of
from bot.telegram.files import labels_of
from bot.telegram.outbound import split_for_telegram
from bot.telegram.rendering import render_plain

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # a Friday
CONTENT = load_content()
TEXTS = CONTENT.locales.texts("en")
CATALOG = CONTENT.catalog


def words(line: Line) -> str:
    return render_plain(line, TEXTS)


def session(days_ago: float, results: dict[str, ExerciseResult],
            reason: EndReason = "completed") -> Session:
    started = NOW - timedelta(days=days_ago)
    return Session(started, [PlannedExercise("cat_camel", 5, 10, "repetitions")],
                   status="finished", results=results, ended_at=started + timedelta(minutes=20),
                   end_reason=reason)


def rating(days_ago: float, value: int, moment: PainMoment = "checkin") -> PainRating:
    return PainRating(NOW - timedelta(days=days_ago), value, moment)


class Changes(TypedDict, total=False):
    """History's fields, any of which a test gives instead of the standard ones."""

    person: Person
    pain: list[PainRating]
    sessions: list[Session]
    triage: list[TriageRecord]
    program_changes: list[ProgramChange]


def history(**changes: Unpack[Changes]) -> History:
    person = Person(7, 7, "en", NOW - timedelta(days=60))
    person.reminder_settings = ReminderSettings(time_zone="Europe/Lisbon")
    person.appointment = Appointment(datetime(2026, 3, 30, 9, 30, tzinfo=UTC), "Dr Silva")
    person.questions = [
        Question("Heat or ice?", NOW - timedelta(days=9), id=1, answered_at=NOW,
                 answer="Heat"),
        Question("Can I swim?", NOW - timedelta(days=2), "after=cat_camel;pain=6", id=2),
    ]
    standard = History(
        person=person,
        pain=[rating(3, 5, "before"), rating(2, 4)],
        sessions=[session(3, {"cat_camel": "done", "pec_stretch": "skipped"}),
                  session(12, {"cat_camel": "pain"}, "ended_early")],
        triage=[TriageRecord(NOW - timedelta(days=4), "none", None, "v", "message"),
                TriageRecord(NOW - timedelta(days=1), "call_doctor", "new_pain", "v",
                             "checkin")],
    )
    return dataclasses.replace(standard, **changes)


def test_the_report_puts_contexts_and_signs_into_words() -> None:
    report = build_report(history(), CATALOG, NOW, words, labels_of(TEXTS))
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
    files = visit_files(report, "7", visit_pdf(report), words)
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
    assert words(line).splitlines() == [
        "Your pain, last 14 days",
        "You rated your pain 2 times. On average it was 3.5 out of 10, and the latest was 3.",
        "Your average is lower than in the two weeks before, when it was 6.5.",
        "1 session in the last 7 days.",
    ]


def test_progress_compares_averages_even_when_the_latest_rating_went_up() -> None:
    """The issue's case: the latest (5) is higher than the earlier average, the average is
    lower; the sentence must be about the average, not read as if about the latest."""
    pain = [rating(20, 5), rating(18, 4), rating(5, 3), rating(4, 4), rating(1, 5)]
    text = words(progress.summary(pain, [], NOW))
    assert "On average it was 4.0 out of 10, and the latest was 5." in text
    assert "Your average is lower than in the two weeks before, when it was 4.5." in text
    assert "Latest 5/10, lower" not in text and "Ratings: " not in text


def test_progress_says_one_rating_and_no_sessions_plainly() -> None:
    text = words(progress.summary([rating(2, 6)], [], NOW))
    assert text.splitlines()[1:] == ["You rated your pain once: 6 out of 10.",
                                     "No sessions in the last 7 days."]
    many = words(progress.summary([rating(2, 6)], [session(d, {}) for d in (1, 2, 3)], NOW))
    assert many.endswith("3 sessions in the last 7 days.")


def test_progress_with_no_ratings_says_how_to_add_them() -> None:
    assert "haven't rated your pain" in words(progress.summary([rating(30, 5)], [], NOW))


def test_progress_about_the_same_or_higher() -> None:
    same = words(progress.summary([rating(20, 4), rating(2, 4)], [], NOW))
    assert "Your average is about the same as in the two weeks before (4.0)." in same
    higher = words(progress.summary([rating(20, 2), rating(2, 5)], [], NOW))
    assert "Your average is higher than in the two weeks before, when it was 2.0." in higher


def test_the_report_carries_the_program_now_with_each_dose_in_words() -> None:
    person = history().person
    person.program = {"head_rolls": Prescription("head_rolls"),
                      "cat_camel": Prescription("cat_camel", hold_seconds=8, sets=5),
                      "bird_dog": Prescription("bird_dog", enabled=False)}
    report = build_report(history(person=person), CATALOG, NOW, words, labels_of(TEXTS))
    assert [(p.exercise, p.dose) for p in report.program] == [
        ("Head rolls", "hold 5 s · 3 sets"), ("Cat and camel", "hold 8 s · 5 sets")]
    assert report.program_changes == []


def test_dated_program_changes_are_carried_oldest_first_in_words() -> None:
    changes = [ProgramChange(NOW - timedelta(days=2), "dose", "3", "5", "cat_camel", "sets"),
               ProgramChange(NOW - timedelta(days=9), "exercises",
                             "cat_camel,bird_dog", "head_rolls,cat_camel"),
               ProgramChange(NOW - timedelta(days=1), "country", "PT", None)]
    report = build_report(history(program_changes=changes), CATALOG, NOW, words,
                          labels_of(TEXTS))
    assert [c.what for c in report.program_changes] == [
        "Stopped: Bird dog; Added: Head rolls", "Cat and camel, sets: 3 → 5",
        "Country: Portugal → not set"]


def test_an_exercise_stopped_for_pain_says_which_and_where_it_hurt() -> None:
    stop = PainRating(NOW - timedelta(days=1), 7, "during", "shoulder_blades", "pec_stretch")
    report = build_report(history(pain=[rating(3, 5, "before"), stop]), CATALOG, NOW, words,
                          labels_of(TEXTS))
    assert [(s.exercise, s.rating, s.where) for s in report.stops] == [
        ("Chest stretch in a doorway", 7, "Between the shoulder blades")]


def test_warning_signs_carry_my_words_and_are_said_in_the_first_person() -> None:
    records = [TriageRecord(NOW - timedelta(days=2), "call_doctor", "pain_up_from_baseline",
                            "v", "session"),
               TriageRecord(NOW - timedelta(days=1), "urgent", "night_or_rest_pain", "v",
                            "message", "It wakes me up every night")]
    report = build_report(history(triage=records), CATALOG, NOW, words, labels_of(TEXTS))
    assert [(e.about, e.words) for e in report.escalations] == [
        ("Pain higher than my usual", None),
        ("Pain that wakes me at night or doesn't ease with rest", "It wakes me up every night")]


def test_every_sign_the_chat_says_to_you_has_a_first_person_wording_for_the_report() -> None:
    """The report is my own record: no "your" or "their" in it."""
    addressed = re.compile(r"\b(you|your|yours|yourself|their|they|them)\b", re.IGNORECASE)
    labels = labels_of(TEXTS)
    for key, text in TEXTS.strings.items():
        if not key.startswith("triage.sign."):
            continue
        rule = key.removeprefix("triage.sign.")
        wording = labels.get(f"sign.{rule}", text)
        assert not addressed.search(wording), (rule, wording)
    to_a_person = re.compile(r"\b(you|your|yours|yourself|their)\b", re.IGNORECASE)
    for key, text in labels.items():  # "they" in the labels are characters, not people
        assert not to_a_person.search(text) or key.startswith("calendar."), (key, text)
