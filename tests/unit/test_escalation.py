"""Warning signs in every flow: typed red flags, unsure answers, check-ins and follow-ups."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.engine.events import Edited, Timer
from bot.domain.model import PainRating
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to
from tests.unit.test_session import started


def test_an_emergency_typed_during_a_hold_stops_the_session(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    chat.send("i have crushing chest pain")
    assert chat.state == "triage/emergency"
    assert "Call 112" in chat.text.replace("<b>", "").replace("</b>", "")
    session = chat.person.session
    assert session is not None and session.status == "finished" and session.hold is None
    assert session.end_reason == "emergency"
    record = chat.person.new_triage_records[-1]
    assert (record.level, record.source, record.text) == (
        "emergency", "message", "i have crushing chest pain")
    chat.send("/help")  # never locked out
    assert "/exercise" in chat.text
    chat.press("I've seen this")
    assert chat.state == "home/idle"


def test_an_emergency_before_consent_still_gets_the_number(chat: Chat) -> None:
    chat.send("/start")
    chat.send("cant breathe")
    assert chat.state == "triage/emergency" and "112" in chat.text


def test_unsure_asks_first_and_not_sure_counts_as_yes(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("not sure but i think both my legs are numb")
    assert chat.state == "triage/confirm" and "right now?" in chat.text
    assert chat.person.new_triage_records == []
    chat.send("not sure")
    assert chat.state == "triage/emergency"


def test_unsure_then_no_goes_back_where_they_were(chat: Chat) -> None:
    onboard_to(chat, "exercises")
    chat.send("maybe some numbness in both legs?")
    assert chat.state == "triage/confirm"
    chat.press("No")
    assert chat.state == "onboarding/exercises" and "Which exercises" in chat.text


def test_someone_elses_emergency_says_whom_to_call_for_them(chat: Chat) -> None:
    # #13: someone else's emergency is answered with the number to call for them, now
    # (it used to get the information line only).
    onboard_to(chat, "idle")
    chat.send("my husband has chest pain")
    assert chat.state == "triage/for_someone" and "call 112 for them now" in chat.text
    assert chat.person.follow_up is None
    assert [(r.level, r.rule, r.source) for r in chat.person.new_triage_records] == [
        ("none", "chest_pain", "someone_else")]
    chat.press("I've done that")
    assert chat.state == "home/idle" and "I hope they're all right" in chat.text


def test_someone_elses_lesser_symptom_gets_information_not_an_escalation(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("my mum has a fever")
    assert chat.state == "home/idle" and "medical help today" in chat.text
    assert chat.person.follow_up is None
    assert [(r.level, r.rule) for r in chat.person.new_triage_records] == [("none", "fever")]


def test_an_edit_that_adds_a_red_flag_escalates(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.do(Edited("feeling ok"))
    assert "edited" in chat.text and chat.state == "home/idle"
    chat.do(Edited("feeling ok but now i cant feel my legs"))
    assert chat.state == "triage/emergency"


def test_call_doctor_offers_to_save_the_question_and_returns(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.send("my pain is getting worse every day")
    assert chat.state == "triage/save_offer" and "call your doctor" in chat.text
    assert chat.session.status == "paused"
    chat.press("Save it as a question")
    question = chat.person.questions[-1]
    assert question.text == "my pain is getting worse every day"
    # #15: back into the session only through "is it mild?", never straight to Resume.
    assert chat.state == "session/mild" and "Resume" not in " ".join(chat.labels())
    assert chat.labels() == ["It's mild, go on gently", "Stop for today"]
    follow_up = chat.person.follow_up
    assert follow_up is not None and follow_up.due_at == NOW + timedelta(days=1)
    chat.press("It's mild")
    assert chat.state == "session/step" and "Go gently" in chat.text
    resumed = chat.session  # read again: mypy would keep the "paused" asserted above
    assert resumed.status == "active"


def test_urgent_then_the_next_day_follow_up(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    assert chat.state == "triage/urgent" and "today" in chat.text
    chat.press("I understand")
    assert chat.state == "home/idle"
    revision = chat.person.conversation.revision
    chat.do(Timer("follow_up"), NOW + timedelta(hours=23))
    assert chat.replies == []
    chat.do(Timer("follow_up"), NOW + timedelta(days=1))
    # #15: after an urgent sign, the next day's question is how they are.
    assert "How are you now?" in chat.text and chat.person.follow_up is None
    assert chat.person.conversation.revision == revision  # other buttons stay valid
    chat.press("Not better, and no help yet")
    assert chat.person.follow_up is not None  # asked again the next day


def test_checkin_against_the_persons_own_baseline(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.person.recent_pain = [PainRating(NOW - timedelta(days=d), 2, "checkin")
                               for d in (1, 2, 3)]
    chat.send("/checkin")
    chat.press("3")
    chat.press("No")
    chat.press("No")
    assert "check-in done" in chat.text and chat.person.follow_up is None
    chat.send("/checkin")
    chat.press("4")  # two points above the usual 2
    chat.press("No")
    chat.press("No")
    assert "call your doctor" in chat.text
    assert chat.person.new_triage_records[-1].rule == "pain_up_from_baseline"


def test_checkin_new_place_and_worse_than_usual(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/checkin")
    chat.press("2")
    chat.press("Yes")
    chat.press("Arm or hand")
    chat.press("No")
    assert chat.person.new_triage_records[-1].rule == "new_pain_new_place"
    chat.send("/checkin")
    chat.press("2")
    chat.press("No")
    chat.press("Yes")
    assert chat.person.new_triage_records[-1].rule == "worse_than_usual"


def test_checkin_severe_pain_that_stops_moving(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/checkin")
    chat.press("9")
    chat.press("stops me moving")
    assert chat.state == "checkin/emergency" and "112" in chat.text
    chat.press("seen")
    assert chat.state == "home/idle"


def test_another_language_is_named_but_a_flow_may_still_use_the_words(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send("Vivo in un piccolo paese vicino a Siviglia")  # Italian: Spanish is read now
    assert "I can only read English" in chat.text and "call 112 now" in chat.text
    assert chat.state == "onboarding/country"  # not a country it knows: asked again
    chat.send("España")
    assert chat.state == "onboarding/exercises" and chat.person.country_code == "ES"


def test_another_language_nothing_can_use_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("Ich habe Rückenschmerzen seit gestern, was soll ich tun")
    assert chat.state == "home/idle" and "I can only read English" in chat.text
    assert "save it as a question" not in chat.text
    assert [(r.level, r.rule) for r in chat.person.new_triage_records] == [
        ("none", "unreadable:de")]
