"""#15 points 7-8: the advice stays the same after a warning sign, and nothing promises what
the bot will not do (a follow-up it cannot store, an invitation to exercise after /forget)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain.engine.events import Command, Press, ReminderDue, Timer
from bot.domain.model import PainRating, ReminderSettings
from bot.domain.reminders.plan import reschedule
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to
from tests.unit.test_session import started

TOMORROW = NOW + timedelta(days=1)
MIDNIGHT = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # Lisbon is on UTC in early March


def with_reminders(chat: Chat, session: time = time(18, 0)) -> None:
    onboard_to(chat, "idle")
    chat.person.reminder_settings = ReminderSettings(time_zone="Europe/Lisbon",
                                                     session_time=session)
    reschedule(chat.person, NOW)


def pending(chat: Chat, kind: str) -> list[datetime]:
    return [r.fire_at for r in chat.person.reminders if r.kind == kind and r.status == "pending"]


def due(chat: Chat, kind: str, at: datetime) -> None:
    chat.do(ReminderDue(1, kind, at), at)


def test_after_urgent_no_resume_and_todays_reminder_is_held_back(chat: Chat) -> None:
    with_reminders(chat)
    assert pending(chat, "session") == [datetime(2026, 3, 2, 18, 0, tzinfo=UTC)]
    chat.send("/exercise")
    chat.press("ready")
    chat.press("2")
    chat.send("ive had a fever since yesterday")
    assert chat.state == "triage/urgent"
    assert "won't send you any exercise reminders" in chat.text
    assert "Tomorrow I'll ask how you are" in chat.text
    chat.press("I understand")
    assert chat.state == "home/idle"
    assert "Resume" not in chat.labels() and "/exercise" not in chat.text
    assert "back to where we were" not in chat.text
    assert chat.person.rest_until == MIDNIGHT
    assert pending(chat, "session") == [datetime(2026, 3, 3, 18, 0, tzinfo=UTC)]


def test_a_reminder_due_on_the_day_of_an_emergency_is_not_said(chat: Chat) -> None:
    with_reminders(chat)
    chat.send("i cant feel my legs and i wet myself")
    assert chat.state == "triage/emergency"
    chat.press("I've seen this")
    assert "don't do any exercises today" in chat.text
    assert "won't send you any exercise reminders" in chat.text
    assert "Tomorrow I'll ask how you are" in chat.text
    follow_up = chat.person.follow_up
    assert follow_up is not None and follow_up.level == "emergency"
    # Even a reminder claimed late (or from an older plan) is held back that day...
    due(chat, "session", NOW + timedelta(hours=2))
    assert chat.replies == []
    due(chat, "checkin", NOW + timedelta(hours=3))
    assert chat.replies == []
    # ...and is planned again after midnight, not for later today.
    assert all(at >= MIDNIGHT for at in pending(chat, "session"))


def test_snooze_is_dropped_by_a_warning_and_refused_on_the_rest_day(chat: Chat) -> None:
    with_reminders(chat)
    due(chat, "session", NOW)
    chat.press("15 min")
    assert pending(chat, "session_snooze") == [NOW + timedelta(minutes=15)]
    chat.send("ive had a fever since yesterday")
    assert pending(chat, "session_snooze") == [] and pending(chat, "session_nudge") == []


def test_a_snooze_pressed_after_a_warning_is_refused_on_the_rest_day(chat: Chat) -> None:
    with_reminders(chat)
    due(chat, "session", NOW)
    shown_at = chat.person.conversation.revision  # the revision the reminder's buttons carry
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.do(Press("rem_snooze", "15", shown_at), NOW)
    assert pending(chat, "session_snooze") == []
    assert "No more reminders today" in chat.text


def test_a_call_doctor_check_in_drops_a_snooze_and_invites_no_session(chat: Chat) -> None:
    with_reminders(chat)
    due(chat, "session", NOW)
    chat.press("15 min")
    chat.send("/checkin")
    chat.press("3")
    chat.press("No")
    chat.press("Yes")  # worse than usual
    assert "call your doctor" in chat.text
    assert "/exercise" not in chat.text and "before your next session" in chat.text
    assert pending(chat, "session_snooze") == []


def test_the_next_morning_the_reminder_asks_how_they_are_first(chat: Chat) -> None:
    with_reminders(chat, session=time(7, 30))
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    morning = datetime(2026, 3, 3, 7, 30, tzinfo=UTC)  # before the follow-up's own time
    assert pending(chat, "session") == [morning]
    due(chat, "session", morning)
    assert "How are you now?" in chat.text and "Start session now" not in chat.labels()
    assert chat.person.follow_up is None  # asked once, not again at 09:30
    assert pending(chat, "session_nudge") == []
    chat.press("I'm feeling better")
    assert "glad" in chat.text


def test_exercise_the_next_day_asks_how_they_are_before_any_session(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.do(Command("exercise"), MIDNIGHT + timedelta(hours=8))
    assert "How are you now?" in chat.text and chat.person.session is None
    chat.press("I got medical help")
    chat.do(Command("exercise"), MIDNIGHT + timedelta(hours=8, minutes=1))
    assert chat.state == "session/safety"


def test_exercise_on_the_rest_day_repeats_the_advice(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.send("/exercise")
    assert "asked you to rest" in chat.text  # never locked out, but the same advice


def test_not_better_a_day_after_urgent_is_another_day_without_exercise(chat: Chat) -> None:
    with_reminders(chat)
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.do(Timer("follow_up"), TOMORROW)
    chat.do(Press("fu_not_yet", "serious", chat.person.conversation.revision), TOMORROW)
    assert "Please try to reach them today" in chat.text
    assert "won't send you any exercise reminders" in chat.text
    assert chat.person.rest_until == MIDNIGHT + timedelta(days=1)
    record = chat.person.new_triage_records[-1]
    assert (record.level, record.rule) == ("urgent", "follow_up_not_reached")


def test_a_lesser_sign_later_keeps_the_question_how_they_are(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.send("the pain is getting worse")
    chat.press("No, thanks")
    follow_up = chat.person.follow_up
    assert follow_up is not None and follow_up.level == "urgent"


def test_worse_than_usual_before_a_session_goes_on_only_if_mild(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.person.recent_pain = [PainRating(NOW - timedelta(days=d), 2, "checkin")
                               for d in (1, 2, 3)]
    chat.send("/exercise")
    chat.press("ready")
    chat.press("5")
    assert chat.state == "session/mild" and "call your doctor" in chat.text
    assert chat.labels() == ["It's mild, go on gently", "Stop for today"]
    chat.press("Stop for today")
    assert "Session finished" in chat.text
    assert "call your doctor before your next session" in chat.text
    assert "/exercise" not in chat.text


def test_a_summary_after_call_your_doctor_says_what_to_do(chat: Chat) -> None:
    started(chat, pain="2")
    chat.press("End session")
    chat.press("5")  # three points worse than before
    assert "Session finished" in chat.text
    assert chat.text.count("call your doctor") == 2  # the reason, and in the summary
    assert "/exercise" not in chat.text and "Next session" not in chat.text


def test_forget_invites_to_nothing_but_start(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/forget")
    chat.press("Yes, delete everything")
    assert "Everything about you is deleted" in chat.text
    assert "/exercise" not in chat.text and "/start" in chat.text
    assert "check-in" not in chat.text


def test_forget_says_the_planned_follow_up_is_gone(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("the pain is getting worse")
    chat.press("No, thanks")
    chat.send("/forget")
    chat.press("Yes, delete everything")
    assert "I won't send it" in chat.text and "/exercise" not in chat.text


def test_no_follow_up_is_promised_before_consent(chat: Chat) -> None:
    chat.send("/start")
    chat.send("ive had a fever since yesterday")
    assert chat.state == "triage/urgent" and "medical help today" in chat.text
    assert "tomorrow" not in chat.text.lower()
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    assert "Tomorrow I'll ask how you are" in chat.text


def test_a_crisis_holds_back_reminders_and_plans_no_follow_up(chat: Chat) -> None:
    with_reminders(chat)
    chat.send("i want to kill myself")
    assert chat.state == "triage/crisis"
    assert chat.person.follow_up is None
    assert all(at >= MIDNIGHT for at in pending(chat, "session"))



def test_no_question_is_offered_or_saved_before_consent(chat: Chat) -> None:
    chat.send("/start")
    chat.send("the pain is getting worse")
    assert chat.state == "triage/save_offer" and "call your doctor" in chat.text
    assert "question" not in chat.text and chat.labels() == ["👍 I understand"]
    chat.send("yes")
    assert chat.person.questions == [] and "Saved" not in chat.text
    assert chat.state == "onboarding/disclaimer"
