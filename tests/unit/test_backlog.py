"""What a flooding person's excess may lose (bot/domain/backlog.py): never a text that may
carry a warning sign, never an answer about pain; triage runs on every text."""

from __future__ import annotations

import functools

import pytest

from bot.domain.engine.events import (
    Command,
    Edited,
    Event,
    LocationShared,
    Press,
    Text,
    Unreadable,
)
from bot.domain.limits.backlog import may_carry_warning, words_of
from bot.domain.triage import Triage
from bot.loaders.triage import load_triage
from bot.telegram.overflow import SAFETY_PRESSES


@functools.cache
def shipped() -> Triage:
    return load_triage()


@pytest.mark.parametrize("event", [
    Text("crushing chest pain spreading to my left arm"),
    Text("I can't feel my legs and I wet myself"),
    Text("I want to end my life"),
    Text("my husband is unconscious and not breathing"),  # someone else's emergency
    Text("what should I do if my chest hurts?"),  # hypothetical: kept all the same
    Text("no chest pain today"),  # read as denied, but a sign was named: kept
    Text("Ich habe starke Brustschmerzen und kann kaum atmen"),  # a language it cannot read
    Edited("actually my chest pain is crushing"),
    Command("ask", "is crushing chest pain normal after the stretch?"),
    *(Press(action, "x", 1) for action in sorted(SAFETY_PRESSES)),
])
def test_what_may_carry_a_warning_sign_is_kept(event: Event) -> None:
    assert may_carry_warning(event, shipped(), SAFETY_PRESSES)


@pytest.mark.parametrize("event", [
    Text("hello"),
    Text("can I do the wall angels twice a day?"),
    Command("help"),
    Command("ask", "should I bring my scans?"),
    Press("q_page", "2", 3),
    Press("agree", "", 1),
    Unreadable("sticker"),
    LocationShared("Europe/Lisbon"),
    None,
])
def test_what_carries_no_warning_sign_may_be_let_go(event: Event | None) -> None:
    assert not may_carry_warning(event, shipped(), SAFETY_PRESSES)


def test_without_a_triage_engine_every_text_is_kept() -> None:
    assert may_carry_warning(Text("hello"), None)
    assert not may_carry_warning(Press("q_page", "2", 3), None, SAFETY_PRESSES)
    assert not may_carry_warning(Press("hurts", "", 1), None)  # no safety presses named


def test_the_words_read_are_what_the_person_typed() -> None:
    assert words_of(Text("a")) == "a" and words_of(Edited("b")) == "b"
    assert words_of(Command("ask", "c")) == "c" and words_of(Command("help")) is None
    assert words_of(Press("hurts", "", 1)) is None
