"""Everything the bot says fits Telegram, in every language under content/locales/ (issue 17,
point 5; Spanish runs longer than English).

Two checks. The conversation is walked through the real domain, breadth first, in each
language: every button on every message is pressed and every command and common answer
typed, with worst-case data (99 saved questions, more than the 50 allowed, of the longest
length allowed, with notes; the longest country name), and every reply is measured. Then
every string of every language is filled with worst-case values and measured alone, so a
key no walk reaches is still checked.

Limits: a message 1 to 4,096 characters after its HTML is parsed (sendMessage), a
notice on a button 0 to 200 (answerCallbackQuery), callback data 1 to 64 bytes (with a
revision far beyond any conversation's), a command 1 to 32 of a-z, 0-9 and _ with a
description of 1 to 256 characters (setMyCommands). Telegram sets no length for a button's
label but cuts what a phone cannot show: ours is at most 64 characters, and nothing the
bot says on a button is longer in any language.
"""

from __future__ import annotations

import copy
import html
import re
from collections import deque
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.domain.engine.events import Command, Event, Press, Text, Timer
from bot.domain.engine.replies import Button, Line, Reply, Say, Toast
from bot.domain.model import Person, Question
from bot.domain.questions import book, prompts
from bot.domain.routing.router import handle
from bot.loaders.content import load_content
from bot.loaders.texts import Texts
from bot.telegram import callback_data
from bot.telegram.app import MENU
from bot.telegram.rendering import render_line, render_lines, render_plain
from tests.unit.conftest import NOW

CONTENT = load_content()
LANGUAGES = sorted(CONTENT.locales.by_language)
MESSAGE, NOTICE, LABEL, DATA = 4096, 200, 64, 64
REVISION = 10**12  # far beyond any conversation's: the widest callback data there can be
WALK_BUDGET = 1200  # events applied from the set-up person; each costs ~10 ms (99 questions)
QUESTIONS = 99
EXPANSIONS = 8


def _plain(html_text: str) -> str:
    """The text Telegram counts: tags gone, entities as their characters."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_text))


def _problems(replies: list[Reply], texts: Texts) -> Iterator[str]:
    for reply in replies:
        if isinstance(reply, Toast):
            notice = render_plain(reply.line, texts)
            if len(notice) > NOTICE:
                yield f"notice {reply.line.key}: {len(notice)} characters"
        if not isinstance(reply, Say):
            continue
        text = _plain(render_lines(reply.lines, texts))
        keys = ", ".join(line.key for line in reply.lines)
        if not 1 <= len(text) <= MESSAGE:
            yield f"message [{keys}]: {len(text)} characters"
        for button in (b for row in reply.buttons for b in row):
            label = render_plain(button.label, texts)
            if not 1 <= len(label) <= LABEL:
                yield f"button {button.label.key}: {label!r} is {len(label)} characters"
            try:
                callback_data.encode(button.action, button.arg, REVISION)
            except ValueError as error:
                yield f"button {button.label.key}: {error}"


def _longest_country(language: str) -> str:
    texts = CONTENT.locales.texts(language).strings
    names = [texts[f"country.{c.code}"] for c in CONTENT.catalog.countries]
    return max(names, key=len).split(" ", 1)[-1]  # without its flag, as someone types it


def _typed(language: str) -> list[Event]:
    """Answers typed in any state: the longest country, the longest text allowed, and the
    common answers of each question."""
    longest = "¿" + "<pregunta & larga> " * 300
    return [Text(_longest_country(language)), Text(longest[:book.MAX_LENGTH]), Text("5"),
            Text("7 de la tarde"), Text("de 22 a 7"), Text("lunes a viernes"),
            Text("el martes que viene"), Text("Ciudad de México"), Text("sí"), Text("no"),
            Timer("hold_due")]


# Typed only where nothing is under way, so that the walk goes deep rather than wide.
COMMANDS: list[Event] = [*(Command(name) for name in MENU if name != "start"),
                         Command("ask", "¿" + "<pregunta & larga> " * 300),
                         Command("no_such_command")]


def _with_questions(person: Person) -> None:
    """99 questions of the longest length, half answered with the longest note."""
    text = "¿" + "<palabra & larga> " * 300
    for n in range(QUESTIONS):
        person.questions.append(Question(
            text[:book.MAX_LENGTH], NOW - timedelta(days=n), context="session", id=n + 1,
            answered_at=NOW if n % 2 else None, answer=text[:book.MAX_LENGTH] if n % 2 else None))


def _buttons(replies: list[Reply]) -> tuple[Button, ...]:
    said = [r for r in replies if isinstance(r, Say) and r.buttons]
    return tuple(b for row in said[-1].buttons for b in row) if said else ()


def _onboarded(language: str) -> Person:
    """Someone who has just finished setting up, by the buttons, with every exercise, in
    the country with the longest name, and 99 long questions saved."""
    person = Person(42, 42, language, created_at=NOW)
    longest = max(CONTENT.catalog.countries, key=lambda c: len(
        CONTENT.locales.texts(language).strings[f"country.{c.code}"]))
    for event in (Command("start"), Press("agree", "", 0), Press("country_other", "", 1),
                  Text(_longest_country(language)), Press("all_exercises", "", 3),
                  Press("exercises_done", "", 4), Press("keep_doses", "", 5),
                  Press("safety_ok", "", 6)):
        if isinstance(event, Press):
            event = Press(event.action, event.arg, person.conversation.revision)
        handle(person, event, CONTENT.catalog, NOW)
    assert person.onboarded_at is not None and person.country_code == longest.code, \
        person.conversation
    _with_questions(person)
    return person


def _walk(start: Person, first: list[Event]) -> tuple[int, list[str]]:
    """Breadth first from a person: (events applied, every problem found). Each state of
    each flow is left at most EXPANSIONS times, so that the walk goes deep, not wide."""
    texts = CONTENT.locales.texts(start.language)
    problems: list[str] = []
    applied = 0
    queue: deque[tuple[Person, list[Event], int]] = deque([(start, first, 0)])
    expanded: dict[tuple[str, str], int] = {}
    typed = _typed(start.language)
    while queue and applied < WALK_BUDGET:
        person, events, depth = queue.popleft()
        for event in events:
            after = copy.deepcopy(person)
            replies = handle(after, event, CONTENT.catalog, NOW + timedelta(minutes=depth))
            applied += 1
            problems += [f"{problem} (after {event})" for problem in _problems(replies, texts)]
            where = (after.conversation.flow, after.conversation.state)
            if expanded.get(where, 0) >= EXPANSIONS:
                continue
            expanded[where] = expanded.get(where, 0) + 1
            presses: list[Event] = [Press(b.action, b.arg, after.conversation.revision)
                                    for b in _buttons(replies)]
            idle = after.conversation.state in ("idle", "")
            queue.append((after, [*presses, *typed, *(COMMANDS if idle else ())], depth + 1))
    return applied, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reply_of_a_walk_through_the_bot_fits_telegram(language: str) -> None:
    fresh = Person(42, 42, language, created_at=NOW)
    applied, problems = _walk(fresh, [Command("start")])
    more, more_problems = _walk(_onboarded(language), [*COMMANDS])
    # Setting up ends (every path leads to the end of it); the rest goes on to the budget.
    assert applied > 300 and more >= WALK_BUDGET, f"the walk saw little ({applied}, {more})"
    problems += more_problems
    assert not problems, "\n".join(sorted(set(problems))[:40])


def _worst(language: str) -> dict[str, str]:
    """The longest value each placeholder can take, in this language."""
    strings = CONTENT.locales.texts(language).strings
    exercises = [strings[f"exercise.{e.id}.name"] for e in CONTENT.catalog.exercises]
    countries = [strings[f"country.{c.code}"] for c in CONTENT.catalog.countries]
    long_name = max([*exercises, *countries], key=len)
    rules = [value for key, value in strings.items() if key.startswith("safety.")]
    return {
        "text": "¿" + "ñ" * (prompts.TO_EDIT - 1),  # the longest text shown: a question to edit
        "answer": "ñ" * prompts.ANSWER_IN_VIEW, "who": "ñ" * 120,
        "items": "\n".join([f"{long_name}: " + "ñ" * 80] * len(exercises)),
        "names": ", ".join(exercises), "rules": "\n".join(rules),
        "lines": "\n".join([f"{long_name}: " + "ñ" * 60] * len(exercises)),
        "name": long_name, "country": long_name, "exercise": max(exercises, key=len),
        "source": "ñ" * 200, "context": "ñ" * 200, "parts": "ñ" * 200, "line": "ñ" * 150,
    }


PLACEHOLDER = re.compile(r"\{(\w+)\}")
LABEL_KEYS = re.compile(r"\.btn_|^country\.|^onboarding\.toggle_|^session\.place_")
# On a button a placeholder holds a number, a time, an exercise's or country's name, or
# the first characters of a question (prompts.ON_BUTTON).
LABEL_VALUES = {"text": "ñ" * prompts.ON_BUTTON, "time": "23:45", "number": "112",
                "n": "99", "count": "5", "value": "30", "seconds": "30", "minutes": "60"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_filled_at_its_longest_fits_a_message(language: str) -> None:
    texts = CONTENT.locales.texts(language)
    worst = _worst(language)
    too_long = {}
    for key, template in texts.strings.items():
        params = {name: worst.get(name, "ñ" * 40) for name in PLACEHOLDER.findall(template)}
        size = len(_plain(render_line(Line(key, params), texts)))
        if size > MESSAGE:
            too_long[key] = size
    assert not too_long


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_label_fits_on_a_button(language: str) -> None:
    texts = CONTENT.locales.texts(language)
    name = _worst(language)["name"]
    labels = {key: render_plain(Line(key, {p: LABEL_VALUES.get(p, name)
                                           for p in PLACEHOLDER.findall(template)}), texts)
              for key, template in texts.strings.items() if LABEL_KEYS.search(key)}
    assert len(labels) > 80
    assert {key: label for key, label in labels.items() if not 1 <= len(label) <= LABEL} == {}


def test_the_callback_data_of_every_choice_fits_64_bytes() -> None:
    """The widest arguments buttons carry: exercise ids, country codes, places, clocks."""
    catalog = CONTENT.catalog
    args = [*(e.id for e in catalog.exercises), *(c.code for c in catalog.countries),
            *catalog.pain_places, "2359", "hold_seconds", "repetitions", "weekdays", "reminder",
            "9" * 12]
    actions = ["change_dose", "dose_field", "toggle", "country", "place", "time", "q_open",
               "zone_check", "clash", "rem_snooze", "q_delete_yes", "forget"]
    for action in actions:
        for arg in args:
            assert len(callback_data.encode(action, arg, REVISION).encode()) <= DATA


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_command_menu_fits_set_my_commands(language: str) -> None:
    texts = CONTENT.locales.texts(language)
    for name in MENU:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name), name
        description = render_plain(Line(f"menu.{name}"), texts)
        assert 1 <= len(description) <= 256, (name, description)
    assert len(MENU) <= 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chart_caption_fits_a_photo(language: str) -> None:
    """sendPhoto takes a caption of 0 to 1,024 characters (bot/services/documents.py)."""
    caption = render_plain(Line("visit.photo_caption"), CONTENT.locales.texts(language))
    assert 1 <= len(caption) <= 1024
