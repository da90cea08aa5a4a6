"""Every row of the session table, fired from a real state reached the way a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.domain.engine.events import Event, Press, Text, Timer
from bot.domain.session.flow import SESSION
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to


def at_safety(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/exercise")


def at_pain_before(chat: Chat) -> None:
    at_safety(chat)
    chat.press("ready")


def at_can_move(chat: Chat) -> None:
    at_pain_before(chat)
    chat.press("9")


def at_high_pain(chat: Chat) -> None:
    at_can_move(chat)
    chat.press("I can move")


def at_step(chat: Chat) -> None:
    at_pain_before(chat)
    chat.press("2")
    chat.press("in position")


def at_hold_step(chat: Chat) -> None:
    at_step(chat)
    chat.press("Done, next")


def at_holding(chat: Chat) -> None:
    at_hold_step(chat)
    chat.press("Start hold")


def at_interrupted(chat: Chat) -> None:
    at_holding(chat)
    chat.do(Timer("hold_due"), NOW + timedelta(minutes=5))


def at_pain_during(chat: Chat) -> None:
    at_step(chat)
    chat.press("It hurts")


def at_pain_where(chat: Chat) -> None:
    at_pain_during(chat)
    chat.press("3")  # one point above the rating before: no call-your-doctor


def at_mild(chat: Chat) -> None:
    at_pain_during(chat)
    chat.press("4")  # two points above the rating before: call your doctor, then "mild?"
    chat.press("Neck")


def at_after_pain(chat: Chat) -> None:
    at_pain_where(chat)
    chat.press("Neck")


def at_paused(chat: Chat) -> None:
    at_step(chat)
    chat.press("Pause")


def at_pain_after(chat: Chat) -> None:
    at_step(chat)
    chat.press("End session")


def at_emergency(chat: Chat) -> None:
    at_can_move(chat)
    chat.press("stops me moving")


def press(action: str, arg: str = "") -> Callable[[Chat], Event]:
    return lambda chat: Press(action, arg, chat.person.conversation.revision)


def text(words: str) -> Callable[[Chat], Event]:
    return lambda chat: Text(words)


Setup = Callable[[Chat], None]
CASES: list[tuple[str, str, Setup, Callable[[Chat], Event], str]] = [
    ("safety", "ready", at_safety, press("ready"), "pain_before"),
    ("safety", "show_rules", at_safety, press("show_rules"), "safety"),
    ("safety", "text", at_safety, text("ready"), "pain_before"),
    ("pain_before", "pain", at_pain_before, press("pain", "3"), "step"),
    ("pain_before", "text", at_pain_before, text("nine"), "can_move"),
    ("can_move", "move", at_can_move, press("move", "no"), "emergency"),
    ("can_move", "text", at_can_move, text("yes"), "high_pain"),
    ("high_pain", "rest", at_high_pain, press("rest"), "home/idle"),
    ("high_pain", "carry_on", at_high_pain, press("carry_on"), "step"),
    ("high_pain", "text", at_high_pain, text("rest today"), "home/idle"),
    ("step", "next", at_step, press("next"), "step"),
    ("step", "start_hold", at_hold_step, press("start_hold"), "holding"),
    ("step", "skip", at_step, press("skip"), "step"),
    ("step", "pause", at_step, press("pause"), "paused"),
    ("step", "hurts", at_step, press("hurts"), "pain_during"),
    ("step", "end", at_step, press("end"), "pain_after"),
    ("step", "text", at_step, text("skip"), "step"),
    ("holding", "hold_due", at_holding, lambda chat: Timer("hold_due"), "holding"),
    ("holding", "hurts", at_holding, press("hurts"), "pain_during"),
    ("holding", "pause", at_holding, press("pause"), "paused"),
    ("holding", "text", at_holding, text("pause"), "paused"),
    ("hold_interrupted", "next", at_interrupted, press("next"), "step"),
    ("hold_interrupted", "start_hold", at_interrupted, press("start_hold"), "holding"),
    ("hold_interrupted", "skip", at_interrupted, press("skip"), "step"),
    ("hold_interrupted", "pause", at_interrupted, press("pause"), "paused"),
    ("hold_interrupted", "hurts", at_interrupted, press("hurts"), "pain_during"),
    ("hold_interrupted", "end", at_interrupted, press("end"), "pain_after"),
    ("hold_interrupted", "text", at_interrupted, text("hello"), "hold_interrupted"),
    ("pain_during", "pain", at_pain_during, press("pain", "5"), "pain_where"),
    ("pain_during", "text", at_pain_during, text("eleven"), "pain_during"),
    ("pain_where", "place", at_pain_where, press("place", "neck"), "after_pain"),
    ("pain_where", "text", at_pain_where, text("left hip"), "after_pain"),
    ("mild", "carry_on", at_mild, press("carry_on"), "step"),
    ("mild", "rest", at_mild, press("rest"), "home/idle"),
    ("mild", "text", at_mild, text("not sure"), "home/idle"),
    ("after_pain", "continue", at_after_pain, press("continue"), "step"),
    ("after_pain", "end", at_after_pain, press("end"), "pain_after"),
    ("after_pain", "text", at_after_pain, text("end"), "pain_after"),
    ("paused", "resume", at_paused, press("resume"), "step"),
    ("paused", "end", at_paused, press("end"), "pain_after"),
    ("paused", "text", at_paused, text("carry on"), "step"),
    ("pain_after", "pain", at_pain_after, press("pain", "2"), "home/idle"),
    ("pain_after", "text", at_pain_after, text("8"), "can_move"),
    ("emergency", "seen", at_emergency, press("seen"), "home/idle"),
]


def test_every_row_of_the_table_has_a_case() -> None:
    rows = {(t.source.value, t.event) for t in SESSION.table}
    assert rows == {(source, event) for source, event, *_ in CASES}


@pytest.mark.parametrize(("source", "event", "setup", "make", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_row(chat: Chat, source: str, event: str, setup: Setup,
             make: Callable[[Chat], Event], expected: str) -> None:
    setup(chat)
    assert chat.state == f"session/{source}"
    chat.do(make(chat))
    assert chat.state == (expected if "/" in expected else f"session/{expected}")
