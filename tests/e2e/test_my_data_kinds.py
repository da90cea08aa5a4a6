"""/mydata through the real bot for people holding every kind of stored data, property-based.

Each example stores a person as the repository would (reminder settings with times of day,
reminders of every kind and status, an appointment, a follow-up, sessions, pain ratings,
warning-sign records, questions, program changes), then asks for /mydata in the emulator
and checks that the JSON file holds all of it. Pending reminders and follow-ups fall after
the manual clock, so the bot's own jobs leave them alone while the test looks.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.model import (
    Appointment,
    Conversation,
    FollowUp,
    PainRating,
    Person,
    PlannedExercise,
    Prescription,
    ProgramChange,
    Question,
    Reminder,
    ReminderSettings,
    Session,
    TriageRecord,
)
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_my_data import mydata_json

EXERCISES = ("head_rolls", "scapular_squeeze", "pec_stretch", "cat_camel", "bird_dog")
KINDS = ("session", "session_nudge", "checkin", "appointment_3d", "appointment_1d",
         "visit_done")
characters = st.characters(exclude_categories=["Cs"])  # Telegram never carries surrogates
words = st.text(characters, min_size=1, max_size=60)
ever = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
# After the manual clock's 2026-01-05 08:00: nothing becomes due while the example runs.
later = st.datetimes(datetime(2026, 2, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
clock_time = st.builds(time, st.integers(0, 23), st.integers(0, 59))
maybe_time = st.one_of(st.none(), clock_time)

reminder_settings = st.builds(
    ReminderSettings,
    time_zone=st.one_of(st.none(), st.sampled_from(["Europe/Lisbon", "UTC+05:30"])),
    session_time=maybe_time, quiet_start=maybe_time, quiet_end=maybe_time,
    checkin_time=maybe_time, paused=st.booleans(),
    days=st.lists(st.integers(0, 6), unique=True).map(tuple))
reminders = st.lists(st.one_of(
    st.builds(Reminder, kind=st.sampled_from(KINDS), fire_at=later, status=st.just("pending")),
    st.builds(Reminder, kind=st.sampled_from(KINDS), fire_at=ever,
              status=st.sampled_from(["sent", "missed", "cancelled"]))), max_size=8)
program = st.dictionaries(st.sampled_from(EXERCISES), st.tuples(
    st.booleans(), st.one_of(st.none(), st.integers(5, 30)))).map(
    lambda chosen: {e: Prescription(e, on, hold_seconds=hold) for e, (on, hold) in chosen.items()})
sessions = st.lists(st.builds(
    lambda started, exercise, result, before, after: Session(
        started, [PlannedExercise(exercise, 10, 3, "sets")], status="finished",
        results={exercise: result}, pain_before=before, pain_after=after, ended_at=started,
        end_reason="completed"),
    ever, st.sampled_from(EXERCISES), st.sampled_from(["done", "skipped", "pain"]),
    st.one_of(st.none(), st.integers(0, 10)), st.one_of(st.none(), st.integers(0, 10))),
    max_size=2)
pain = st.lists(st.builds(
    PainRating, at=ever, rating=st.integers(0, 10),
    moment=st.sampled_from(["before", "during", "after", "checkin"]),
    where=st.one_of(st.none(), st.sampled_from(["neck", "other"])),
    exercise_id=st.one_of(st.none(), st.sampled_from(EXERCISES))), max_size=4)
triage = st.lists(st.builds(
    TriageRecord, at=ever, level=st.sampled_from(["emergency", "urgent", "call_doctor"]),
    rule=st.one_of(st.none(), st.just("arm_numbness")), catalogue_version=st.just("7"),
    source=st.sampled_from(["message", "checkin", "session"]),
    text=st.one_of(st.none(), words)), max_size=3)
questions = st.lists(st.builds(
    Question, text=words, asked_at=ever,
    context=st.one_of(st.none(), st.just("during=bird_dog;pain=6;from=message")),
    answered_at=st.one_of(st.none(), ever), answer=st.one_of(st.none(), words)), max_size=3)
program_changes = st.lists(st.one_of(
    st.builds(ProgramChange, at=ever, what=st.just("exercises"),
              before=st.just("head_rolls,bird_dog"), after=st.just("bird_dog")),
    st.builds(ProgramChange, at=ever, what=st.just("dose"),
              before=st.integers(1, 30).map(str), after=st.integers(1, 30).map(str),
              exercise_id=st.sampled_from(EXERCISES),
              dose_field=st.sampled_from(["hold_seconds", "repetitions", "sets"])),
    st.builds(ProgramChange, at=ever, what=st.just("country"),
              before=st.one_of(st.none(), st.just("PT")),
              after=st.one_of(st.none(), st.just("CA")))), max_size=4)
stored_kinds = st.fixed_dictionaries({
    "settings": reminder_settings, "reminders": reminders, "program": program,
    "sessions": sessions, "pain": pain, "triage": triage, "questions": questions,
    "guided": st.booleans(), "program_changes": program_changes,
    "appointment": st.one_of(st.none(), st.builds(Appointment, at=later, with_whom=words)),
    "follow_up": st.one_of(st.none(), st.builds(
        FollowUp, due_at=later, level=st.sampled_from(["urgent", "call_doctor"]),
        rule=st.just("arm_numbness"))),
})


@pytest.fixture
async def running(timed: TimedWorld) -> AsyncIterator[TimedWorld]:
    """One bot for every example (each example is a new person)."""
    # Stored dates span 2025-2027, and the ticker's retention pass runs whenever it first
    # ticks: on a slow machine that fell between storing and /mydata and wiped an old
    # warning's words. Retention has tests of its own; here nothing may be pruned.
    async with timed.bot(keep_warning_text_days=3650, keep_history_days=3650):
        yield timed


async def store(world: TimedWorld, person: Person, sessions: list[Session],
                pain: list[PainRating]) -> None:
    """Write the person as the bot would: added with the first session, then a save per
    further session (a finished session is history; only one is written per save)."""
    assert world.deps is not None
    async with world.deps.unit_of_work() as uow:
        person.session = sessions[0] if sessions else None
        person.new_pain_ratings = list(pain)
        await uow.people.add(person)
        for later_session in sessions[1:]:
            person.session = later_session
            await uow.people.save(person)
        await uow.commit()


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def hhmm(local: time | None) -> str | None:
    return None if local is None else f"{local.hour:02d}:{local.minute:02d}"


names = itertools.count(1)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kinds=stored_kinds)
async def test_mydata_holds_every_kind_of_stored_data(running: TimedWorld,
                                                       kinds: dict[str, Any]) -> None:
    user = running.emulator.user(f"Person{next(names)}")
    now = running.clock.now()
    person = Person(user.user_id, user.chat_id, "en", created_at=now, consented_at=now,
                    country_code="PT", safety_seen_at=now, onboarded_at=now,
                    program=kinds["program"], conversation=Conversation("home", "idle"),
                    guided_holds=kinds["guided"], follow_up=kinds["follow_up"],
                    new_triage_records=list(kinds["triage"]), questions=kinds["questions"],
                    new_program_changes=list(kinds["program_changes"]),
                    reminder_settings=kinds["settings"], reminders=kinds["reminders"],
                    appointment=kinds["appointment"])
    await store(running, person, kinds["sessions"], kinds["pain"])

    data = await mydata_json(user)

    chosen: ReminderSettings = kinds["settings"]
    assert data["person"]["reminder_settings"] == {
        "time_zone": chosen.time_zone, "session_time": hhmm(chosen.session_time),
        "days": list(chosen.days), "paused": chosen.paused,
        "quiet_start": hhmm(chosen.quiet_start), "quiet_end": hhmm(chosen.quiet_end),
        "checkin_time": hhmm(chosen.checkin_time)}
    assert sorted((r["kind"], r["status"], r["fire_at"]) for r in data["reminders"]) == sorted(
        (r.kind, r.status, iso(r.fire_at)) for r in kinds["reminders"])
    assert sorted(data["person"]["program"]) == sorted(kinds["program"])
    assert len(data["sessions"]) == len(kinds["sessions"])
    assert sorted((p["at"], p["rating"]) for p in data["pain_ratings"]) == sorted(
        (iso(p.at), p.rating) for p in kinds["pain"])
    assert sorted((t["at"], t["level"], t["text"]) for t in data["triage_decisions"]) == sorted(
        (iso(t.at), t.level, t.text) for t in kinds["triage"])
    assert sorted((q["text"], q["answer"]) for q in data["questions"]) == sorted(
        (q.text, q.answer) for q in kinds["questions"])
    assert sorted(((c["at"], c["what"], c["exercise_id"], c["dose_field"], c["before"],
                    c["after"]) for c in data["program_changes"]), key=repr) == sorted(
        ((iso(c.at), c.what, c.exercise_id, c.dose_field, c.before, c.after)
         for c in kinds["program_changes"]), key=repr)
    assert "new_program_changes" not in data["person"]
    appointment = kinds["appointment"]
    assert data["person"]["appointment"] == (None if appointment is None else {
        "at": iso(appointment.at), "with_whom": appointment.with_whom, "id": appointment.id})
    follow_up = kinds["follow_up"]
    assert data["person"]["follow_up"] == (None if follow_up is None else {
        "due_at": iso(follow_up.due_at), "level": follow_up.level, "rule": follow_up.rule})
    (table,) = [f for f in user.documents if f.filename == "backcoach-pain-ratings.csv"]
    assert len(list(csv.DictReader(io.StringIO(table.data.decode())))) == len(kinds["pain"])
