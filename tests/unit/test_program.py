"""/program through the pure domain: exercises, amounts and country changed after set-up,
each said back and kept with its date; bad input changes nothing."""

from __future__ import annotations

import copy
from datetime import timedelta

from bot.domain.engine.events import Press, Text
from bot.domain.model import ProgramChange
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to


def enabled(chat: Chat) -> list[str]:
    return [e for e, item in chat.person.program.items() if item.enabled]


def test_program_needs_set_up_first(chat: Chat) -> None:
    chat.send("/start")
    chat.press("I understand")
    chat.send("/program")
    assert chat.state == "onboarding/country" and "finish setting up" in chat.text


def test_menu_shows_the_program_and_leaves_unchanged(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    assert chat.state == "program/menu"
    assert "1. Head rolls: hold 5 s · 3 sets" in chat.text and "Portugal" in chat.text
    assert chat.labels() == ["Exercises", "Amounts (holds, repetitions, sets)", "Country",
                             "✅ Nothing more"]
    chat.press("Nothing more")
    assert chat.state == "home/idle" and "nothing more to change" in chat.text
    assert chat.person.new_program_changes == []


def test_typed_exercises_select_and_save_with_the_date(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    chat.send("exercises")
    assert chat.state == "program/exercises"
    assert all(label.startswith("✅") for label in chat.labels()[:5])  # as they are now
    chat.send("2, 3 and 5")
    assert "You chose: 2. Shoulder blade squeeze, 3. Chest stretch in a doorway, 5. Bird dog." \
        in chat.text
    assert enabled(chat) == ["head_rolls", "scapular_squeeze", "pec_stretch", "cat_camel",
                             "bird_dog"]  # not saved yet
    later = NOW + timedelta(days=3)
    chat.do(Press("exercises_done", "", chat.person.conversation.revision), later)
    assert enabled(chat) == ["scapular_squeeze", "pec_stretch", "bird_dog"]
    assert "Saved. Your exercises now: 2. Shoulder blade squeeze" in chat.text
    assert "next session will follow" in chat.text and chat.state == "program/menu"
    assert chat.person.new_program_changes == [ProgramChange(
        later, "exercises", "head_rolls,scapular_squeeze,pec_stretch,cat_camel,bird_dog",
        "scapular_squeeze,pec_stretch,bird_dog")]
    chat.send("/exercise")  # the next session follows the new program
    assert [e.exercise_id for e in chat.session.plan] == [
        "scapular_squeeze", "pec_stretch", "bird_dog"]


def test_back_and_cancel_keep_the_program_as_it_was(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    chat.press("Exercises")
    chat.press("1. Head rolls")
    chat.press("Back")
    assert chat.state == "program/menu" and len(enabled(chat)) == 5
    chat.press("Exercises")
    chat.send("1")
    chat.send("/cancel")
    assert len(enabled(chat)) == 5 and chat.person.new_program_changes == []


def test_amounts_inside_the_safe_range_only(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    chat.press("Amounts")
    assert "Your amounts now" in chat.text
    chat.press("Change 5. Bird dog")
    chat.press("Sets")
    before = copy.deepcopy(chat.person)
    for odd in ("99", "0", "many", "🙂", "x" * 5000):
        chat.send(odd)
        assert chat.state == "program/dose_value" and "only count from" in chat.text, odd
    chat.do(Press("value", "99", chat.person.conversation.revision))  # a forged button
    assert "only count from" in chat.text
    assert chat.person.program == before.program and chat.person.new_program_changes == []
    chat.send("4")
    assert chat.person.program["bird_dog"].sets == 4
    assert "Saved: Bird dog, sets: 5 → 4." in chat.text and chat.state == "program/doses"
    assert chat.person.new_program_changes == [
        ProgramChange(NOW, "dose", "5", "4", "bird_dog", "sets")]
    chat.press("Change 5. Bird dog")
    chat.press("Sets")
    chat.press("4")
    assert "nothing changed" in chat.text and len(chat.person.new_program_changes) == 1


def test_country_changes_the_emergency_number(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    chat.press("Country")
    chat.send("Atlantis")
    assert "couldn't find" in chat.text and chat.person.country_code == "PT"
    chat.send("canada")
    assert chat.person.country_code == "CA" and "911" in chat.text
    assert "next session" not in chat.text  # it applies at once
    assert chat.person.new_program_changes == [ProgramChange(NOW, "country", "PT", "CA")]
    chat.press("Country")
    chat.do(Press("country", "XX", chat.person.conversation.revision))  # forged
    assert chat.person.country_code == "CA" and "couldn't find" in chat.text


def test_forged_stale_and_odd_input_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/program")
    old = chat.person.conversation.revision
    chat.press("Exercises")
    snapshot = copy.deepcopy(chat.person.program)
    chat.do(Press("toggle", "head_rolls", old))  # a button from before
    assert chat.toasts == ["That button is from an earlier message."]
    chat.do(Press("toggle", "no_such_exercise", chat.person.conversation.revision))
    assert "from 1 to 5" in chat.text
    chat.send("7 8")
    assert "from 1 to 5" in chat.text
    chat.do(Press("change", "nonsense", chat.person.conversation.revision))  # wrong state
    chat.do(Text("Ω≈ç√ 你好 🙂 " * 300))
    assert chat.state == "program/exercises"
    chat.send("none of them really, what do you think?")
    assert chat.person.program == snapshot and chat.person.new_program_changes == []
    chat.send("/program")  # the command again starts over, at the menu
    chat.do(Press("change", "nonsense", chat.person.conversation.revision))
    assert chat.state == "program/menu" and "choose one of the buttons" in chat.text
    chat.press("Exercises")
    for label in ("1. Head", "2. Shoulder", "3. Chest", "4. Cat", "5. Bird"):
        chat.press(label)  # all unticked
    chat.press("Save")
    assert "at least one" in chat.text and chat.person.program == snapshot


def test_a_session_already_started_keeps_its_plan_and_says_so(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/exercise")
    chat.press("I'm ready")
    assert chat.person.session is not None and len(chat.person.session.plan) == 5
    chat.send("/program")
    assert chat.person.session.status == "paused"
    chat.press("Exercises")
    chat.send("4")
    chat.press("Save")
    assert "The session you already started keeps its old plan" in chat.text
    assert len(chat.person.session.plan) == 5 and enabled(chat) == ["cat_camel"]
    chat.press("Nothing more")
    chat.send("/exercise")  # carries on with the paused session, as it was
    assert chat.state.startswith("session/") and len(chat.person.session.plan) == 5
