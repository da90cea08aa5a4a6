"""The routing table between flows: every row reachable, and its order is the precedence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.engine.events import (
    Command,
    Edited,
    Event,
    LocationShared,
    Press,
    ReminderDue,
    Text,
    Timer,
    Unreadable,
)
from bot.domain.engine.fsm import Context
from bot.domain.model import FollowUp, Person
from bot.domain.reminders.messages import SNOOZE_KIND
from bot.domain.routing import anywhere
from bot.domain.routing.table import ROUTES, Kinds, Route, first_route, route, walk
from bot.domain.routing.table import page as page_of_the_table
from bot.loaders.content import Content
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to
from tests.unit.test_session import started

DIAGRAMS = Path(__file__).resolve().parents[2] / "bot" / "domain" / "diagrams"
EMERGENCY = "crushing chest pain spreading to my left arm and jaw"
TOMORROW = NOW + timedelta(days=1)

# One event for each row, which no row above it takes (a person at home, revision 0).
SAMPLES: dict[str, Event] = {
    "routing.anywhere.screen": Text("hello"),
    "routing.anywhere.follow_up_pressed": Press("fu_reached", "", 5),
    "questions.offers.pressed": Press("offer_save", "0", 5),
    "routing.language.pressed": Press("language", "es", 5),
    "reminders.messages.reminder_due": ReminderDue(1, "session", NOW),
    "routing.anywhere.reminder_pressed": Press("rem_snooze", "15", 5),
    "routing.anywhere.location": LocationShared("Europe/Lisbon"),
    "routing.anywhere.follow_up_due": Timer("follow_up"),
    "routing.commands.run_command": Command("help"),
    "routing.anywhere.unreadable": Unreadable("sticker"),
    "routing.anywhere.flow_timer": Timer("hold_due"),
    "routing.advance.stale": Press("next", "", 5),
    "routing.advance.advance": Press("next", "", 0),
}


def at_home(content: Content) -> Context:
    return Context(Person(42, 42, "en", created_at=NOW), content.catalog, NOW)


def index(handler: str) -> int:
    return [found.handler for found in ROUTES].index(handler)


def test_every_row_takes_an_event_no_row_above_it_takes(content: Content) -> None:
    ctx = at_home(content)
    taken = {first_route(ctx, event).handler: event for event in SAMPLES.values()}
    assert list(taken) == list(SAMPLES)  # each sample lands on its own row
    assert len(ROUTES) == len(SAMPLES)  # and no row is left without one


@pytest.mark.parametrize("event", [Text("x"), Edited("x"), Command("help"), Command("ask", "x"),
                                   Press("made_up", "", 0), Unreadable("weird"),
                                   Timer("unknown"), ReminderDue(1, "checkin", NOW),
                                   LocationShared(None)])
def test_every_kind_of_event_has_a_row(content: Content, event: Event) -> None:
    assert isinstance(first_route(at_home(content), event), Route)


def test_the_order_is_the_precedence() -> None:
    """Where two rows could take the same event, the one above wins: this is the order."""
    screen, command = index("routing.anywhere.screen"), index("routing.commands.run_command")
    stale, flow = index("routing.advance.stale"), index("routing.advance.advance")
    assert screen == 0 and screen < command < stale < flow == len(ROUTES) - 1
    for any_state in ("routing.anywhere.follow_up_pressed", "questions.offers.pressed",
                      "routing.anywhere.reminder_pressed"):
        assert index(any_state) < stale
    assert index("routing.anywhere.follow_up_due") < index("routing.anywhere.flow_timer")
    assert [found.handler for found in ROUTES if found.passes_on] == ["routing.anywhere.screen"]


def test_a_warning_sign_beats_the_command_it_is_written_after(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send(f"/ask {EMERGENCY}")
    assert chat.state == "triage/emergency" and "112" in chat.text
    assert chat.person.questions == []  # the command did not run after the sign


def test_a_warning_sign_beats_the_flow(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send(EMERGENCY)
    assert chat.state == "triage/emergency"
    assert chat.person.country_code is None


def test_words_after_a_command_without_a_sign_run_the_command(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/ask should I do the exercises before or after work?")
    assert len(chat.person.questions) == 1 and chat.state == "home/idle"


def test_a_command_beats_the_flow(chat: Chat) -> None:
    onboard_to(chat, "country")
    chat.send("/help")
    assert chat.state == "onboarding/country" and chat.person.country_code is None
    assert "/exercise" in chat.text


def test_a_follow_up_answer_beats_the_stale_check(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("ive had a fever since yesterday")
    chat.press("I understand")
    chat.do(Timer("follow_up"), TOMORROW)
    asked = chat.keyboard
    revision = chat.person.conversation.revision
    assert asked is not None and "How are you now?" in chat.text
    chat.do(Command("checkin"), TOMORROW)  # the conversation moves on
    assert chat.person.conversation.revision != revision
    fu = next(b for line in asked.buttons for b in line if b.action == "fu_not_yet")
    chat.do(Press(fu.action, fu.arg, revision), TOMORROW)
    assert chat.toasts == ["Noted, thank you."]
    assert chat.person.follow_up is not None  # asked again tomorrow
    assert chat.state == "checkin/rating"  # and the check-in is where it was


def test_a_reminder_button_beats_the_stale_check(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.do(ReminderDue(1, "session", NOW, False))
    revision = chat.person.conversation.revision
    chat.do(Command("checkin"))
    assert chat.person.conversation.revision != revision
    assert not [r for r in chat.person.reminders if r.kind == SNOOZE_KIND]
    chat.do(Press("rem_snooze", "15", revision))
    assert "That button is from an earlier message." not in chat.toasts
    snoozes = [r for r in chat.person.reminders if r.kind == SNOOZE_KIND]
    assert [r.fire_at for r in snoozes] == [NOW + timedelta(minutes=15)]
    assert chat.state == "checkin/rating"


def test_a_stale_button_never_reaches_the_flow(chat: Chat) -> None:
    onboard_to(chat, "country")
    revision = chat.person.conversation.revision
    chat.do(Press("country", "PT", revision - 1))
    assert chat.toasts == ["That button is from an earlier message."]
    assert chat.state == "onboarding/country" and chat.person.country_code is None
    chat.do(Press("country", "PT", revision))
    assert chat.person.country_code == "PT"


def test_the_follow_up_day_beats_the_flows_timers(chat: Chat) -> None:
    started(chat)
    chat.press("in position")
    chat.press("Done, next")
    chat.press("Start hold")
    assert chat.state == "session/holding"
    chat.person.follow_up = FollowUp(NOW, "call_doctor", "new_numbness")
    chat.do(Timer("follow_up"), NOW + timedelta(seconds=1))
    assert "Did you manage to reach them?" in chat.text and chat.person.follow_up is None
    assert chat.state == "session/holding"  # the hold runs on


def test_a_row_only_passes_on_what_it_says_it_may(content: Content) -> None:
    silent = route("anything typed", Kinds(Text), lambda ctx, event: None, why="a test")
    with pytest.raises(RuntimeError, match="anything typed answered nothing"):
        walk(at_home(content), Text("x"), (silent,))


def test_a_row_given_another_kind_of_event_refuses_it(content: Content) -> None:
    typed = route("anything typed", Kinds(Text), anywhere.screen, why="a test")
    with pytest.raises(TypeError, match="given a Press"):
        typed.answer(at_home(content), Press("next", "", 0))


def test_the_routing_diagram_is_current() -> None:
    path = DIAGRAMS / "routing.md"
    assert path.exists(), f"run `backcoach diagrams` to create {path}"
    page = path.read_text()
    assert page == page_of_the_table(), f"{path} is stale: run `backcoach diagrams`"
    for number, found in enumerate(ROUTES, start=1):
        assert f'R{number}{{"{number}. {found.events}' in page
