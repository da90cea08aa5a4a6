"""Bounded work per person: daily caps, document cooldowns, and any-state buttons checked."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.engine.events import Command, Press, ReminderDue, Text
from bot.domain.engine.replies import Attach, Line, Say
from bot.domain.limits import allowance
from bot.domain.limits.allowance import DAILY_CAPS, Limits
from bot.domain.model import Allowance
from bot.domain.reminders.messages import SNOOZE_KIND
from bot.domain.routing.router import handle
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to

EMERGENCY = "crushing chest pain spreading to my left arm and jaw"
CRISIS = "i want to kill myself"


def checkin(chat: Chat, rating: str = "3") -> None:
    chat.send("/checkin")
    chat.send(rating)
    chat.send("no")
    chat.send("no")
    assert chat.state == "home/idle", chat.text


def test_pain_ratings_stop_being_stored_at_the_daily_cap_with_a_kind_word(chat: Chat) -> None:
    onboard_to(chat, "idle")
    for _ in range(DAILY_CAPS["pain"]):
        checkin(chat)
    assert len(chat.person.new_pain_ratings) == DAILY_CAPS["pain"]
    chat.send("/checkin")
    chat.send("4")
    assert "won't add this one to your chart" in chat.text
    assert len(chat.person.new_pain_ratings) == DAILY_CAPS["pain"]
    chat.send("no")
    chat.send("no")
    chat.do(Command("checkin"), NOW + timedelta(days=1))  # a new day: counted again
    chat.do(Text("5"), NOW + timedelta(days=1))
    assert len(chat.person.new_pain_ratings) == DAILY_CAPS["pain"] + 1


def test_a_warning_sign_past_every_cap_still_gets_its_emergency_answer(chat: Chat) -> None:
    onboard_to(chat, "idle")
    for _ in range(DAILY_CAPS["warning_records"] + 5):
        chat.send(EMERGENCY)
        assert "Seek care immediately" in chat.text or "112" in chat.text, chat.text
        assert chat.state == "triage/emergency"
        chat.press("seen")
    records = chat.person.new_triage_records
    assert len(records) == DAILY_CAPS["warning_records"]
    with_words = [r for r in records if r.text is not None]
    assert len(with_words) == DAILY_CAPS["warning_words"]
    assert all(r.level == "emergency" for r in records)


def test_a_crisis_at_the_cap_still_gets_the_crisis_line(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.person.allowance = Allowance(NOW.date(), {"warning_records": 100,
                                                   "warning_words": 20})
    chat.send(CRISIS)
    assert chat.state == "triage/crisis"
    assert "112" in chat.text
    assert chat.person.new_triage_records == []  # not stored: the cap was reached


def fire(chat: Chat, kind: str = "session") -> None:
    chat.do(ReminderDue(1, kind, NOW))


def snooze_press(chat: Chat) -> Press:
    return Press("rem_snooze", "15", chat.person.conversation.revision)


def test_snoozes_stop_at_six_a_day(chat: Chat) -> None:
    onboard_to(chat, "idle")
    fire(chat)
    for _ in range(DAILY_CAPS["snooze"]):
        chat.do(snooze_press(chat))
        assert "remind you again in 15" in chat.text
        fire(chat, SNOOZE_KIND)  # the snoozed reminder comes back, with its buttons
    rows = len(chat.person.reminders)
    chat.do(snooze_press(chat))
    assert "snoozed 6 times today" in chat.text
    assert len(chat.person.reminders) == rows


def test_a_forged_snooze_adds_no_reminder(chat: Chat) -> None:
    onboard_to(chat, "idle")
    before = list(chat.person.reminders)
    chat.do(snooze_press(chat))  # no reminder was ever sent
    assert chat.toasts == ["That one was already answered, so nothing changed."]
    assert chat.person.reminders == before


def test_a_second_press_on_the_same_reminder_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    fire(chat)
    revision = chat.person.conversation.revision
    chat.do(Press("rem_snooze", "15", revision))
    after_first = list(chat.person.reminders)
    chat.do(Press("rem_snooze", "60", revision))
    assert chat.toasts == ["That one was already answered, so nothing changed."]
    assert chat.person.reminders == after_first
    chat.do(Press("rem_skip", "", revision))
    assert chat.person.reminders == after_first


def test_a_reminder_from_before_a_newer_one_is_stale(chat: Chat) -> None:
    onboard_to(chat, "idle")
    fire(chat)
    old = chat.person.conversation.revision
    chat.send("/guided")  # the conversation moves on: the revision grows
    fire(chat, "session_nudge")
    chat.do(Press("rem_skip", "", old))
    assert chat.toasts == ["That one was already answered, so nothing changed."]
    chat.do(Press("rem_skip", "", chat.person.conversation.revision))
    assert "OK, rest today. See you next time." in chat.text  # said once, in the chat


def test_a_forged_follow_up_answer_adds_no_warning_record(chat: Chat) -> None:
    onboard_to(chat, "idle")
    for _ in range(3):
        chat.do(Press("fu_not_yet", "", chat.person.conversation.revision))
    assert chat.person.new_triage_records == []
    assert chat.toasts == ["That one was already answered, so nothing changed."]


def test_a_forged_visit_answer_marks_nothing_answered(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/ask can I run?")
    chat.do(Press("rem_answered", "", chat.person.conversation.revision))
    assert chat.person.questions[0].answered_at is None


def test_sessions_started_per_day_are_capped(chat: Chat) -> None:
    onboard_to(chat, "idle")
    for _ in range(DAILY_CAPS["session"]):
        chat.send("/exercise")
        assert chat.state == "session/safety"
        session = chat.person.session
        assert session is not None
        session.status = "finished"  # as ending it early would
        chat.send("/cancel")
    chat.send("/exercise")
    assert "start again tomorrow" in chat.text
    assert chat.state == "home/idle"


def test_reminder_changes_per_day_are_capped(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/reminders")
    chat.send("Lisbon")
    for number in range(DAILY_CAPS["reminder_change"]):
        chat.do(Press("choose", "pause" if number % 2 == 0 else "resume",
                      chat.person.conversation.revision))
        assert "Saved" in chat.text
    paused = chat.person.reminder_settings.paused
    chat.do(Press("choose", "resume" if paused else "pause", chat.person.conversation.revision))
    assert "kept them as they were" in chat.text
    assert chat.person.reminder_settings.paused == paused


def test_documents_have_a_cooldown_per_kind(chat: Chat) -> None:
    onboard_to(chat, "idle")
    limits = Limits(timedelta(seconds=120))

    def ask(name: str, seconds: float) -> list[object]:
        return list(handle(chat.person, Command(name), chat.content.catalog,
                           NOW + timedelta(seconds=seconds), limits))

    assert Attach("export") in ask("export", 0)
    again = ask("export", 30)
    assert Attach("export") not in again
    assert [r.lines[0] for r in again if isinstance(r, Say)] == [
        Line("data.cooldown", {"minutes": 2})]
    assert Attach("progress") in ask("progress", 31)  # each kind has its own
    assert Attach("export") not in ask("export", 119)
    assert Attach("export") in ask("export", 121)


def test_cooldown_words_round_up() -> None:
    assert allowance.cooldown_reply(timedelta(seconds=61)).lines[0].params == {"minutes": 2}
    assert allowance.cooldown_reply(timedelta(seconds=1)).lines[0].params == {"minutes": 1}


def test_allowance_round_trips_through_json() -> None:
    kept = Allowance(NOW.date(), {"pain": 3}, {"export": NOW}, {"session_reminder": 7})
    assert allowance.from_json(allowance.to_json(kept)) == kept
    assert allowance.from_json(None) == Allowance()
