"""Onboarding, driven through the pure domain exactly as a person would answer."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.engine.events import Press, Unreadable
from bot.domain.engine.replies import Reply
from tests.unit.conftest import Chat, said


def onboard_to(chat: Chat, state: str) -> None:
    """Walk the happy path with buttons until the named onboarding state."""
    steps: list[tuple[str, Callable[[], list[Reply]]]] = [
        ("disclaimer", lambda: chat.send("/start")),
        ("country", lambda: chat.press("I understand")),
        ("exercises", lambda: chat.press("Portugal")),
        ("exercises", lambda: chat.press("All 5")),
        ("doses", lambda: chat.press("Done")),
        ("safety", lambda: chat.press("These are right")),
        ("idle", lambda: chat.press("Got it"))]
    for name, action in steps:
        action()
        if chat.person.conversation.state == name:
            if name == state:
                return
        else:
            raise AssertionError(f"expected {name}, got {chat.state}: {chat.text}")
    raise AssertionError(f"never reached {state}")


def test_start_shows_disclaimer_and_stores_nothing_yet(chat: Chat) -> None:
    chat.send("/start")
    assert "not medical advice" in chat.text
    assert "emergency" in chat.text
    assert chat.labels() == ["✅ I understand", "Not now"]
    assert not chat.person.has_consented


def test_happy_path_with_buttons(chat: Chat) -> None:
    onboard_to(chat, "idle")
    person = chat.person
    assert person.has_consented and person.onboarded_at and person.safety_seen_at
    assert person.country_code == "PT"
    assert all(item.enabled for item in person.program.values())
    assert len(person.program) == 5
    assert chat.state == "home/idle"
    assert "all set" in chat.text


def test_typed_answers_work_at_every_step(chat: Chat) -> None:
    chat.send("hello")
    assert chat.state == "onboarding/disclaimer" and "I understand" in chat.text
    chat.send("I understand!")
    assert chat.state == "onboarding/country"
    chat.send("portgual")  # a typo still finds Portugal
    assert chat.person.country_code == "PT" and "112" in chat.text
    chat.send("2, 4 and 5")
    assert [i.enabled for i in chat.person.program.values()] == [False, True, False, True, True]
    assert "You chose: 2. Shoulder blade squeeze, 4. Cat and camel, 5. Bird dog." in chat.text
    chat.send("done")
    assert chat.state == "onboarding/doses"
    chat.send("2")  # the second enabled exercise: cat and camel
    assert chat.person.conversation.data["exercise"] == "cat_camel"
    chat.send("sets")
    assert chat.state == "onboarding/dose_value"
    chat.send("four")
    assert chat.person.program["cat_camel"].sets == 4
    chat.send("done")
    assert chat.state == "onboarding/safety"
    chat.send("ok")
    assert chat.state == "home/idle"


def test_unknown_country_asks_again_and_112_fallback(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send("Atlantis")
    assert chat.state == "onboarding/country" and "Atlantis" in chat.text
    chat.press("use 112")
    assert chat.person.country_code is None and "112" in chat.text
    assert chat.state == "onboarding/exercises"


def test_typed_country_name_is_escaped_and_cut(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send("<b>" + "x" * 500)
    assert "&lt;b&gt;" in chat.text and "x" * 41 not in chat.text


def test_toggle_edits_the_same_message_and_needs_one_exercise(chat: Chat) -> None:
    onboard_to(chat, "exercises")
    assert all(label.startswith("⬜") for label in chat.labels()[:5])  # nothing ticked yet
    for label in ("1. Head", "2. Shoulder", "3. Chest", "4. Cat", "5. Bird"):
        chat.press(label)
        replies = chat.press(label)  # on, then off again
        assert said(replies[-1]).edit
    assert not any(i.enabled for i in chat.person.program.values())
    chat.press("Done")
    assert chat.state == "onboarding/exercises" and "at least one" in chat.text
    chat.press("5. Bird")
    chat.press("Done")
    assert chat.state == "onboarding/doses" and "Bird dog" in chat.text and "Cat" not in chat.text


def test_dose_change_inside_range_only(chat: Chat) -> None:
    onboard_to(chat, "doses")
    chat.press("Change 3. Chest")
    assert chat.labels()[:2] == ["Hold time (now 15 s)", "Repetitions (now 3)"]
    chat.press("Hold time")
    assert "10 to 30" in chat.text
    chat.send("45")
    assert chat.state == "onboarding/dose_value" and "only count from 10 to 30" in chat.text
    chat.send("20 s")
    assert chat.person.program["pec_stretch"].hold_seconds == 20
    assert "hold 20 s" in chat.text
    chat.press("Change 3. Chest")
    chat.press("Repetitions")
    chat.press("3")  # back to the usual amount: stored as "no change"
    assert chat.person.program["pec_stretch"].repetitions is None


def test_back_leaves_the_dose_editor_unchanged(chat: Chat) -> None:
    onboard_to(chat, "doses")
    chat.press("Change 1. Head")
    chat.press("Back")
    assert chat.state == "onboarding/doses"
    assert chat.person.conversation.data == {}


def test_stale_and_forged_buttons_change_nothing(chat: Chat) -> None:
    onboard_to(chat, "exercises")
    chat.press("All 5")
    old_revision = chat.person.conversation.revision
    chat.press("2. Shoulder")
    snapshot = (chat.person.program["scapular_squeeze"].enabled, chat.person.conversation.revision)
    chat.do(Press("toggle", "scapular_squeeze", old_revision))  # a double press
    assert chat.toasts == ["That button is from an earlier message."]
    assert (chat.person.program["scapular_squeeze"].enabled,
            chat.person.conversation.revision) == snapshot
    chat.do(Press("toggle", "no_such_exercise", chat.person.conversation.revision))
    chat.do(Press("safety_ok", "", chat.person.conversation.revision))  # wrong state
    assert chat.state == "onboarding/exercises" and chat.person.onboarded_at is None
    chat.do(Unreadable("button"))
    assert "doesn't work any more" in chat.text


def test_decline_keeps_nothing_and_can_agree_later(chat: Chat) -> None:
    chat.send("/start")
    chat.press("Not now")
    assert "haven't kept anything" in chat.text and not chat.person.has_consented
    chat.press("I'm ready")
    assert chat.state == "onboarding/country" and chat.person.has_consented


def test_cancel_then_start_resumes_where_it_was(chat: Chat) -> None:
    onboard_to(chat, "doses")
    chat.press("Change 2. Shoulder")
    chat.send("/cancel")
    assert chat.state == "home/idle" and "saved" in chat.text
    chat.send("something")
    assert "not sure" in chat.text
    chat.send("/start")
    assert chat.state == "onboarding/doses" and "Welcome back" in chat.text


def test_commands_before_consent(chat: Chat) -> None:
    chat.send("/safety")
    assert "firm surface" in chat.text
    chat.send("/about")
    assert "Drugs.com" in chat.text and "not for emergencies" in chat.text
    chat.send("/cancel")
    assert "nothing to stop" in chat.text
    chat.send("/exercise")
    assert "First, please read this" in chat.text and chat.state == "onboarding/disclaimer"


def test_unknown_command_and_unreadable_things_change_nothing(chat: Chat) -> None:
    onboard_to(chat, "country")
    revision = chat.person.conversation.revision
    chat.send("/frobnicate now")
    assert "/frobnicate" in chat.text
    for kind in ("sticker", "photo", "voice", "location", "edited", "made-up"):
        chat.do(Unreadable(kind))
        assert "Which country" in chat.text  # the question is asked again
    assert chat.person.conversation.revision == revision


def test_start_after_onboarding_does_not_start_over(chat: Chat) -> None:
    onboard_to(chat, "idle")
    program = dict(chat.person.program)
    chat.send("/start")
    assert chat.state == "home/idle" and chat.person.program == program
    assert "What would you like to do" in chat.text


def test_help_lists_every_menu_command(chat: Chat) -> None:
    chat.send("/help")
    for command in ("/start", "/safety", "/about", "/cancel", "/help"):
        assert command in chat.text


def test_revision_grows_only_when_something_changed(chat: Chat) -> None:
    onboard_to(chat, "country")
    before = chat.person.conversation.revision
    chat.send("/help")
    chat.send("/safety")
    assert chat.person.conversation.revision == before
    chat.press("Ireland")
    assert chat.person.conversation.revision == before + 1


def test_nothing_starts_ticked_and_typed_numbers_select(chat: Chat) -> None:
    onboard_to(chat, "exercises")
    assert "Type their numbers" in chat.text
    chat.send("done")  # nothing chosen yet
    assert chat.state == "onboarding/exercises" and "at least one" in chat.text
    chat.send("2 3 5")
    enabled = [e for e, item in chat.person.program.items() if item.enabled]
    assert enabled == ["scapular_squeeze", "pec_stretch", "bird_dog"]
    assert "You chose: 2. Shoulder blade squeeze, 3. Chest stretch in a doorway, 5. Bird dog."\
        in chat.text
    assert chat.labels()[:5] == ["⬜ 1. Head rolls", "✅ 2. Shoulder blade squeeze",
                                 "✅ 3. Chest stretch in a doorway", "⬜ 4. Cat and camel",
                                 "✅ 5. Bird dog"]
    chat.send("2 3 5")  # typing the same again selects the same; it never switches off
    assert [e for e, i in chat.person.program.items() if i.enabled] == enabled
    chat.send("1")  # a new choice replaces the old one
    assert [e for e, i in chat.person.program.items() if i.enabled] == ["head_rolls"]
    chat.send("all")
    assert all(i.enabled for i in chat.person.program.values())
    chat.send("two and four")
    assert [e for e, i in chat.person.program.items() if i.enabled] == [
        "scapular_squeeze", "cat_camel"]
    chat.send("1-3")
    assert [e for e, i in chat.person.program.items() if i.enabled] == [
        "head_rolls", "scapular_squeeze", "pec_stretch"]
    chat.send("Done")
    assert chat.state == "onboarding/doses" and "Bird dog" not in chat.text


def test_numbers_outside_the_list_change_nothing(chat: Chat) -> None:
    onboard_to(chat, "exercises")
    chat.send("2 4")
    for odd in ("2 7", "0", "4-2", "123-456", "lots", "🙂" * 50):
        chat.send(odd)
        assert "from 1 to 5" in chat.text, odd
        assert [e for e, i in chat.person.program.items() if i.enabled] == [
            "scapular_squeeze", "cat_camel"], odd
