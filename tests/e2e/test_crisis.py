"""Thoughts of suicide or self-harm, someone else's emergency, and languages the bot cannot
read, end to end: the real Application over HTTP against the emulator, SQLite, a manual
clock. The crisis answer must come in every state of every flow, and nothing after it may
lead back to exercise."""

from __future__ import annotations

import dataclasses

from bot.domain.engine.flows import FLOWS
from bot.domain.model import Conversation
from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import begin, in_a_hold, stored

CRISIS = "I'm really sorry you're feeling like this"
BACK_TO_EXERCISE = ("/exercise", "Resume", "Let's get back", "session", "Session")


def every_state() -> list[tuple[str, str]]:
    """Every state of every flow, finished ones included."""
    return [(name, state.value) for name, flow in FLOWS.items() for state in flow.states]


async def put_in_state(world: TimedWorld, user: TestUser, flow: str, state: str) -> None:
    """Store the person's conversation in this state, as if they had got there."""
    assert world.deps is not None
    async with world.deps.unit_of_work() as uow:
        person = await uow.people.get(user.user_id)
        assert person is not None
        person.conversation = Conversation(flow, state, {}, person.conversation.revision + 1)
        await uow.people.save(person)
        await uow.commit()


async def test_the_crisis_answer_comes_in_every_state_of_every_flow(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana, "United Kingdom")
        states = every_state()
        assert len(states) > 40
        for number, (flow, state) in enumerate(states):
            await put_in_state(timed, ana, flow, state)
            text = ("i want to kill myself" if number % 2 else
                    "been cutting again, dont know why i'm telling an app")
            await ana.send_and_wait(text, contains=CRISIS)
            answer = ana.bot_texts[-1]
            assert "Samaritans" in answer and "116 123" in answer and "999" in answer, (
                flow, state)
            person = await stored(timed, ana)
            assert person is not None
            assert (person.conversation.flow, person.conversation.state) == ("triage", "crisis")
            assert person.conversation.data.get("return_to") is None, (flow, state)
        seen = len(ana.bot_texts)
        await ana.press_and_wait("I've read this", contains="I'm here too")
        after = ana.bot_texts[seen:]
        assert not any(word in text for text in after for word in BACK_TO_EXERCISE), after
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.triage_history(ana.user_id)
        assert len(history) == len(states)
        assert {(r.level, r.rule) for r in history} == {
            ("emergency", "suicidal_thoughts"), ("emergency", "self_harm")}


async def test_a_crisis_ends_a_running_session_and_never_offers_it_back(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben, "United States")
        await in_a_hold(timed, ben)
        await ben.send_and_wait("honestly i dont want to be here anymore", contains=CRISIS)
        assert "988" in ben.bot_texts[-1] and "911" in ben.bot_texts[-1]
        for _ in range(10):  # the hold's deadline passes: nothing is said about it
            await timed.advance(1)
        assert "Release" not in ben.bot_texts[-1]
        person = await stored(timed, ben)
        assert person is not None and person.session is None  # ended, not paused
        await ben.send_and_wait("ok", contains="I'm still here")  # typed text: the lines again
        assert "988" in ben.bot_texts[-1]


async def test_a_crisis_before_any_consent_is_answered_and_nothing_is_kept(
        timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await cara.send_and_wait("i want to end my life", contains=CRISIS)
        assert "findahelpline.com" in cara.bot_texts[-1] and "112" in cara.bot_texts[-1]
        assert await stored(timed, cara) is None
        await cara.send_and_wait("/start", contains="I understand")  # never locked out


async def test_ask_with_a_crisis_gets_the_crisis_answer_not_a_saved_question(
        timed: TimedWorld) -> None:
    async with timed.bot():
        dan = timed.emulator.user("Dan")
        await onboard(dan, "Australia")
        await dan.send_and_wait("/ask is there any point going on", contains="Please talk")
        assert "13 11 14" in dan.bot_texts[-1]
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            assert await uow.people.questions(dan.user_id) == []


async def test_someone_elses_emergency_says_whom_to_call_and_pauses_the_session(
        timed: TimedWorld) -> None:
    async with timed.bot():
        eve = timed.emulator.user("Eve")
        await onboard(eve, "Ireland")
        await begin(timed, eve)
        await eve.send_and_wait("my husband is unconscious and not breathing",
                                contains="Please call 112 for them now")
        person = await stored(timed, eve)
        assert person is not None and person.session is not None
        assert person.session.status == "paused"  # hers waits; it was not her emergency
        await eve.press_and_wait("I've done that", contains="I hope they're all right")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.triage_history(eve.user_id)
        assert [(r.level, r.rule, r.source) for r in history] == [
            ("none", "fainting", "someone_else")]


async def test_someone_elses_crisis_gets_the_crisis_line_for_them(timed: TimedWorld) -> None:
    async with timed.bot():
        fin = timed.emulator.user("Fin")
        await onboard(fin, "Canada")
        await fin.send_and_wait("my son (17) says he wants to kill himself",
                                contains="Please help them get support now")
        assert "988" in fin.bot_texts[-1] and "911" in fin.bot_texts[-1]


async def test_a_language_the_bot_cannot_read_gets_the_emergency_number_at_once(
        timed: TimedWorld) -> None:
    async with timed.bot():
        gil = timed.emulator.user("Gil")
        await onboard(gil, "Germany")
        before = await stored(timed, gil)
        await gil.send_and_wait("Ich habe starke Brustschmerzen und kann kaum atmen",
                                contains="I can only read English")
        assert "If this is an emergency, call 112 now." in gil.bot_texts[-1]
        after = await stored(timed, gil)
        assert before is not None and after is not None
        assert dataclasses.astuple(after.conversation) == dataclasses.astuple(
            before.conversation)  # nothing else changed
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.triage_history(gil.user_id)
        assert [(r.level, r.rule) for r in history] == [("none", "unreadable:de")]
        # Spanish is read now, whatever the person's language: the crisis answer.
        await gil.send_and_wait("quiero morirme", contains=CRISIS)


async def test_a_sign_in_a_mixed_message_is_acted_on_and_the_language_named(
        timed: TimedWorld) -> None:
    async with timed.bot():
        hal = timed.emulator.user("Hal")
        await onboard(hal, "Germany")
        # Spanish is read now; German is not: the sign is acted on and the language named.
        await hal.send_and_wait("chest pain, ich kann kaum atmen, hilfe bitte",
                                contains="Please get medical help now")
        texts = " ".join(hal.bot_texts[-2:])
        assert "I can only read English" in texts and "112" in texts
