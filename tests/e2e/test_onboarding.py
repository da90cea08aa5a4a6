"""Onboarding end to end: the real Application over HTTP against the emulator, real databases."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app.wiring import Deps
from bot.domain.model import Person
from bot.emulator import Emulator, TestUser
from tests.e2e.conftest import BotProcess, StartBot


async def onboard(user: TestUser, country: str = "Portugal") -> None:
    """Go through onboarding with buttons, as most people will."""
    await user.send_and_wait("/start", contains="I understand")
    await user.press_and_wait("I understand", contains="Which country")
    await user.press_and_wait(country, contains="Which exercises")
    await user.press_and_wait("All 5", contains="Which exercises")
    await user.press_and_wait("Done", contains="Here is your program")
    await user.press_and_wait("These are right", contains="safety rules")
    await user.press_and_wait("Got it", contains="all set")


async def stored(deps: Deps, user: TestUser) -> Person | None:
    async with deps.unit_of_work() as uow:
        return await uow.people.get(user.user_id)


async def kept(deps: Deps, user: TestUser) -> Person:
    """The person as stored, who must be."""
    person = await stored(deps, user)
    assert person is not None, f"{user.name} is not stored"
    return person


async def test_onboarding_with_buttons_on_each_database(
        emulator: Emulator, start_bot: StartBot, any_database_url: str) -> None:
    async with start_bot(any_database_url) as deps:
        ana = emulator.user("Ana")
        await onboard(ana, "Ireland")
        person = await stored(deps, ana)
    assert person is not None
    assert person.country_code == "IE" and person.onboarded_at is not None
    assert sorted(person.program) == ["bird_dog", "cat_camel", "head_rolls", "pec_stretch",
                                      "scapular_squeeze"]
    assert "112" in "\n".join(ana.bot_texts)
    commands = [c["command"] for c in emulator.my_commands()]
    assert commands == ["start", "exercise", "checkin", "ask", "questions", "export",
                        "progress", "share", "reminders", "appointment", "program", "guided",
                        "language", "safety", "mydata", "forget", "help", "about", "cancel"]


async def test_nothing_is_stored_until_the_person_agrees(emulator: Emulator, bot: Deps) -> None:
    ben = emulator.user("Ben")
    await ben.send_and_wait("/start", contains="I understand")
    await ben.send_and_wait("what is this?", contains="I understand")
    await ben.press_and_wait("Not now", contains="haven't kept anything")
    assert await stored(bot, ben) is None
    await ben.press_and_wait("I'm ready", contains="Which country")
    assert (await kept(bot, ben)).consented_at is not None


async def test_typed_answers_and_toggles_edit_in_place(emulator: Emulator, bot: Deps) -> None:
    cara = emulator.user("Cara")
    await cara.send_and_wait("/start", contains="I understand")
    await cara.send_and_wait("ok", contains="Which country")
    await cara.send_and_wait("deutschland", contains="emergency number is 112")
    exercises = cara.last_bot_message
    assert exercises is not None
    assert "⬜ 1. Head rolls" in exercises.labels  # nothing ticked at first
    await cara.press("1. Head rolls")
    await cara.wait_for(lambda e: e.kind == "edit" and "✅ 1. Head rolls" in e.labels)
    edited = cara.messages[exercises.message_id]
    assert edited.edited and "✅ 1. Head rolls" in edited.labels
    await cara.send_and_wait("2,4 and 5", contains="You chose: 2. Shoulder blade squeeze, "
                             "4. Cat and camel, 5. Bird dog.")
    assert "⬜ 1. Head rolls" in cara.transcript[-1].labels  # the typed choice replaced it
    await cara.send_and_wait("done", contains="Here is your program")
    await cara.send_and_wait("2", contains="What did your provider change")
    await cara.send_and_wait("hold", contains="type a number from 3 to 10")
    await cara.send_and_wait("12", contains="only count from 3 to 10")
    await cara.send_and_wait("8", contains="hold 8 s")
    await cara.send_and_wait("that's all", contains="safety rules")
    await cara.send_and_wait("got it", contains="all set")
    person = await stored(bot, cara)
    assert person is not None
    assert not person.program["head_rolls"].enabled and not person.program["pec_stretch"].enabled
    assert person.program["cat_camel"].hold_seconds == 8


async def test_a_restarted_process_continues_the_flow(
        emulator: Emulator, bot_process: BotProcess) -> None:
    await bot_process.start()
    dan = emulator.user("Dan")
    await dan.send_and_wait("/start", contains="I understand")
    await dan.press_and_wait("I understand", contains="Which country")
    await bot_process.kill()
    await bot_process.start()
    await dan.send_and_wait("Canada", contains="emergency number is 911")
    await dan.send_and_wait("1 4", contains="You chose: 1. Head rolls, 4. Cat and camel.")
    await dan.press_and_wait("Done", contains="Here is your program")
    await bot_process.kill()  # killed again, mid-flow, and the next start carries on
    await bot_process.start()
    await dan.press_and_wait("These are right", contains="safety rules")
    assert await bot_process.terminate() == 0


async def test_two_people_onboard_at_the_same_time(emulator: Emulator, bot: Deps) -> None:
    eve, finn = emulator.user("Eve"), emulator.user("Finn")
    await asyncio.gather(onboard(eve, "Spain"), onboard(finn, "Italy"))
    assert (await kept(bot, eve)).country_code == "ES"
    assert (await kept(bot, finn)).country_code == "IT"
    assert all("Finn" not in text for text in eve.bot_texts)


async def test_old_buttons_and_double_presses_change_nothing(emulator: Emulator, bot: Deps) -> None:
    gil = emulator.user("Gil")
    await gil.send_and_wait("/start", contains="I understand")
    await gil.press_and_wait("I understand", contains="Which country")
    countries = gil.last_bot_message
    await gil.press_and_wait("France", contains="Which exercises")
    exercises = gil.last_bot_message
    assert countries is not None and exercises is not None
    await gil.press("Germany", message=countries)
    await gil.wait_for(lambda e: e.kind == "callback_answer" and "earlier" in e.text)
    assert (await kept(bot, gil)).country_code == "FR"
    # Two quick presses of the same toggle: only the first counts.
    await gil.press("2. Shoulder", message=exercises)
    await gil.press("2. Shoulder", message=exercises)
    await gil.wait_for(lambda e: e.kind == "callback_answer" and "earlier" in e.text)
    await emulator.wait_delivered()
    person = await stored(bot, gil)
    assert person is not None and person.program["scapular_squeeze"].enabled is True


async def test_anything_that_is_not_text_gets_a_kind_answer(
        emulator: Emulator, bot: Deps, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    hana = emulator.user("Hana")
    await hana.send_and_wait("/start", contains="I understand")
    await hana.send_sticker()
    await hana.expect("sticker")
    await hana.send_photo()
    await hana.expect("photos")
    await hana.send_voice()
    await hana.expect("voice")
    await hana.send_location(38.7, -9.1)
    await hana.expect("location")
    await hana.send_contact()
    await hana.expect("contacts")
    first = await hana.send("hello")
    await hana.expect("I understand")
    await hana.edit(first, "hello again")
    await hana.expect("edited")
    await hana.press_data("1|agree||999")  # forged revision: treated as an old button
    await hana.wait_for(lambda e: e.kind == "callback_answer")
    await hana.press_data("garbage")
    await hana.expect("doesn't work any more")
    await hana.send_and_wait("Ω≈ç√ 你好 🙂 " * 600, contains="I understand")
    await hana.send_and_wait("/START@backcoach_bot", contains="I understand")
    assert await stored(bot, hana) is None  # none of it counted as consent
    assert "update failed" not in caplog.text


async def test_groups_and_channels_are_not_conversations(emulator: Emulator, bot: Deps,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    ivan = emulator.user("Ivan")
    group = emulator.group("Back club", members=[ivan])
    await group.send(ivan, "my back hurts today")
    await group.send(ivan, "/start")
    await group.expect("private chats only")
    channel = emulator.channel("News")
    await channel.post("hello channel")
    await emulator.wait_delivered()
    assert group.bot_texts == ["I work in private chats only. Please message me directly."]
    assert channel.bot_texts == []
    assert await stored(bot, ivan) is None
    assert "update failed" not in caplog.text


async def test_a_person_who_blocked_the_bot_breaks_nothing(
        emulator: Emulator, bot: Deps, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    jo, kim = emulator.user("Jo"), emulator.user("Kim")
    await jo.send_and_wait("/start", contains="I understand")
    await jo.press("I understand")
    await jo.block()
    await emulator.wait_delivered()
    await onboard(kim)  # the bot carries on serving others
    assert "update failed" not in caplog.text
    assert any(r.status == 403 for r in emulator.requests_for(jo.chat_id))


async def test_start_help_and_cancel_mid_flow(emulator: Emulator, bot: Deps) -> None:
    lea = emulator.user("Lea")
    await lea.send_and_wait("/start", contains="I understand")
    await lea.press_and_wait("I understand", contains="Which country")
    await lea.send_and_wait("/help", contains="/safety")
    await lea.send_and_wait("/safety", contains="firm surface")
    await lea.send_and_wait("/start", contains="Which country")  # resumes, no new disclaimer
    assert "Welcome back" in lea.bot_texts[-1]
    await lea.send_and_wait("Spain", contains="Which exercises")
    await lea.send_and_wait("/cancel", contains="Everything you told me is saved")
    await lea.send_and_wait("/start", contains="Which exercises")
    person = await stored(bot, lea)
    assert person is not None and person.country_code == "ES" and person.onboarded_at is None


async def test_one_persons_quick_messages_are_applied_in_order(
        emulator: Emulator, bot: Deps) -> None:
    max_ = emulator.user("Max")
    await max_.send_and_wait("/start", contains="I understand")
    await max_.press_and_wait("I understand", contains="Which country")
    await max_.send_and_wait("Portugal", contains="Which exercises")
    # Five choices typed in a burst: each reply must say back its own choice, in order.
    for number in "12345":
        await max_.send(number)
    await max_.wait_for(lambda e: "You chose: 5. Bird dog" in e.text)
    said = [e.text for e in max_.transcript if e.who == "bot" and "You chose" in e.text]
    assert [text.split(".")[0][-1] for text in said] == list("12345")
    person = await stored(bot, max_)
    assert person is not None
    assert [e for e, p in person.program.items() if p.enabled] == ["bird_dog"]
