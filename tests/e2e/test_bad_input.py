"""Bad input through the real bot, property-based: random sequences of updates of any kind
(Unicode text of any length, odd commands, forged or truncated button data, presses on old
messages or with someone else's data, stickers, edits, groups and channels). Nothing raises
an unhandled error, the stored conversation stays valid after every step, and every
private message gets an answer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.wiring import Deps
from bot.domain.engine.flows import FLOWS
from bot.domain.questions.book import MAX_QUESTIONS
from bot.emulator import Emulator, TestUser
from bot.telegram import callback_data
from tests.e2e.conftest import StartBot
from tests.e2e.test_onboarding import onboard

WAIT = 10.0
characters = st.characters(exclude_categories=["Cs"])  # Telegram never carries surrogates
COMMANDS = ["start", "exercise", "checkin", "ask", "questions", "export", "progress",
            "reminders", "appointment", "program", "guided", "safety", "about", "mydata", "help",
            "cancel", "forget", "START", "start@some_other_bot", "nonsense", ""]
ACTIONS = sorted({t.event for flow in FLOWS.values() for t in flow.table} - {"text"})

text = st.one_of(st.text(characters, max_size=60), st.text(characters, min_size=3000,
                                                            max_size=4096),
                 st.sampled_from(["yes", "no", "3", "Portugal", "chest pain", "stop", "🙂",
                                  "   ", "\u200b", "Ελλάδα", "背中が痛い", "<b>&amp;</b>"]))
actions = st.one_of(
    st.tuples(st.just("text"), text),
    st.tuples(st.just("command"), st.tuples(st.sampled_from(COMMANDS), text)),
    st.tuples(st.just("forged"), st.one_of(
        st.text(characters, max_size=70),
        st.builds(lambda a, arg, r: f"1|{a}|{arg}|{r}", st.sampled_from(ACTIONS),
                  st.sampled_from(["", "yes", "99999", "n0", "3", "x" * 40]),
                  st.integers(0, 60)))),
    st.tuples(st.just("truncated"), st.integers(1, 20)),
    st.tuples(st.just("old_press"), st.integers(0, 30)),
    st.tuples(st.just("their_press"), st.integers(0, 30)),
    st.tuples(st.just("sticker"), st.just("")),
    st.tuples(st.just("photo"), st.one_of(st.none(), text)),
    st.tuples(st.just("edit"), text),
    st.tuples(st.just("group"), text),
    st.tuples(st.just("channel"), text),
)


@pytest.fixture
async def world(start_bot: StartBot, database_url: str,
                emulator: Emulator) -> AsyncIterator[dict[str, Any]]:
    async with start_bot(database_url) as deps:
        ana, ben = emulator.user("Ana"), emulator.user("Ben")
        await onboard(ben)
        yield {"deps": deps, "ana": ana, "ben": ben, "emulator": emulator,
               "group": emulator.group("Back club", [ana, ben]),
               "channel": emulator.channel("News")}


def buttons_of(user: TestUser) -> list[tuple[int, str]]:
    """Every (message id, callback data) on the bot's messages to this person."""
    return [(message_id, button.callback_data)
            for message_id, message in user.messages.items()
            for row in message.buttons for button in row if button.callback_data]


async def act(world: dict[str, Any], kind: str, value: Any) -> bool:
    """Do one thing; whether the bot owes Ana an answer in her private chat."""
    ana: TestUser = world["ana"]
    if kind == "text":
        await ana.send(value)
    elif kind == "command":
        name, args = value
        await ana.send(f"/{name} {args}".rstrip())
    elif kind in ("forged", "truncated", "old_press", "their_press"):
        mine = buttons_of(ana)
        if not mine:
            return False
        message_id, data = mine[-1]
        if kind == "forged":
            data = value
        elif kind == "truncated":
            data = data[:value]
        elif kind == "old_press":
            message_id, data = mine[value % len(mine)]
        else:
            theirs = buttons_of(world["ben"])
            data = theirs[value % len(theirs)][1] if theirs else data
        await ana.press_data(data, message_id)
        return False  # a press is answered by the spinner; checked separately
    elif kind == "sticker":
        await ana.send_sticker()
    elif kind == "photo":
        await ana.send_photo(caption=value)
    elif kind == "edit":
        sent = [m for m in ana.transcript if m.who == "user" and m.kind == "text"]
        if not sent or sent[-1].message_id is None:
            return False
        await ana.edit(sent[-1].message_id, value)
    elif kind == "group":
        await world["group"].send(ana, value)
        return False
    else:
        await world["channel"].post(value)
        return False
    return True


async def check_stored(deps: Deps, user: TestUser, revisions: list[int]) -> None:
    """The conversation is one the flows know, the revision never goes back, limits hold."""
    async with deps.unit_of_work() as uow:
        person = await uow.people.get(user.user_id)
    if person is None:
        return  # not consented yet (or forgotten): nothing stored
    flow = FLOWS[person.conversation.flow]
    flow.states(person.conversation.state)
    assert len(person.questions) <= MAX_QUESTIONS
    if person.session is not None and person.session.hold is not None:
        assert (person.conversation.flow, person.conversation.state) == ("session", "holding")
    revisions.append(person.conversation.revision)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(actions, min_size=1, max_size=12))
async def test_no_update_breaks_the_bot(world: dict[str, Any],
                                        caplog: pytest.LogCaptureFixture,
                                        steps: list[tuple[str, Any]]) -> None:
    ana: TestUser = world["ana"]
    emulator: Emulator = world["emulator"]
    revisions: list[int] = []
    for kind, value in steps:
        before = len(ana.transcript)
        answer_owed = await act(world, kind, value)
        await emulator.wait_delivered(WAIT)
        if answer_owed:
            await ana.wait_for(lambda e: e.kind in ("text", "edit", "document", "photo"),
                               WAIT, since=before, what=f"an answer to {kind}")
        if kind in ("forged", "truncated", "old_press", "their_press") and len(
                ana.transcript) > before:
            await ana.wait_for(lambda e: e.kind == "callback_answer", WAIT, since=before,
                               what="the spinner stopped")
        await check_stored(world["deps"], ana, revisions)
    assert revisions == sorted(revisions)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert callback_data.decode("1|q_open|n0|0") is not None  # position refs stay encodable
