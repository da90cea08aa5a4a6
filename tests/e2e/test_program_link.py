"""A provider's program link end to end: the real Application over HTTP against the
emulator, on real databases. A new patient who opens the link goes through consent and
the safety rules and gets that program; a wrong, expired or used-up code gets a kind word
and the normal set-up; someone already set up is asked whether to switch."""

from __future__ import annotations

from datetime import date, timedelta

from bot.app.wiring import Deps
from bot.domain.program.links import make_program, new_link
from bot.emulator import Emulator, TestUser
from bot.services.prescribe import Created, Request, prescribe
from bot.services.program_links import create_link
from bot.telegram.files import wording
from tests.e2e.conftest import StartBot
from tests.e2e.test_my_data import mydata_json
from tests.e2e.test_onboarding import kept, onboard

NOTE = "Start gently, once a day."
VISIT = date(2031, 3, 14)


async def link_for(deps: Deps, uses: str = "single") -> str:
    """A link made as the CLI and the form make one; its start code."""
    request = Request(["head_rolls", "bird_dog"], {"bird_dog": {"sets": 3}}, NOTE, VISIT,
                      "single" if uses == "single" else "many")
    created: Created = await prescribe(deps.unit_of_work(), deps.content.catalog, request,
                                       deps.clock.now(), "backcoach_bot",
                                       wording(deps.content.locales.texts("en")))
    return created.url.split("?start=", 1)[1]


def suggestion(user: TestUser) -> str:
    message = user.last_message_with_buttons()
    assert message is not None
    return message.text


async def test_a_new_patient_gets_the_providers_program_on_each_database(
        emulator: Emulator, start_bot: StartBot, any_database_url: str) -> None:
    async with start_bot(any_database_url) as deps:
        code = await link_for(deps)
        ana = emulator.user("Ana")
        await ana.send_and_wait(f"/start {code}", contains="I understand")
        assert any("sent you here with a program" in t for t in ana.bot_texts)
        await ana.press_and_wait("I understand", contains="Which country")
        await ana.press_and_wait("Portugal", contains="Your provider suggested")
        text = suggestion(ana)
        assert "1. Head rolls: hold 5 s · 3 sets" in text
        assert "2. Bird dog: hold 15 s · 3 sets" in text
        assert NOTE in text and "14 Mar 2031" in text
        assert "Keep my program" not in text  # nothing of their own to keep yet
        await ana.press_and_wait("Use this program", contains="this is your program now")
        await ana.wait_for(lambda e: "safety rules" in e.text, what="the safety rules")
        await ana.press_and_wait("Got it", contains="all set")
        person = await kept(deps, ana)
        async with deps.unit_of_work() as uow:
            changes = await uow.people.program_history(ana.user_id)
        await ana.send_and_wait("/program", contains="Your program")
        assert "Bird dog: hold 15 s · 3 sets" in suggestion(ana)

        # The link was for one patient: the next one gets the normal set-up.
        ben = emulator.user("Ben")
        await ben.send_and_wait(f"/start {code}", contains="I understand")
        assert any("doesn't work any more" in t for t in ben.bot_texts)
        await ben.press_and_wait("I understand", contains="Which country")
        await ben.press_and_wait("Portugal", contains="Which exercises")
    assert {e for e, p in person.program.items() if p.enabled} == {"head_rolls", "bird_dog"}
    assert person.program["bird_dog"].sets == 3 and person.program["head_rolls"].sets is None
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("provider", None, "head_rolls,bird_dog")]


async def test_wrong_and_expired_codes_get_the_normal_set_up(bot: Deps,
                                                              emulator: Emulator) -> None:
    program = make_program(bot.content.catalog, ["cat_camel"], {}, None, None)
    old = new_link(program, "many", bot.clock.now() - timedelta(days=31), 30)
    await create_link(bot.unit_of_work(), old)
    for name, code in (("Cy", "A" * 22), ("Dee", old.code), ("Eve", "ref_campaign-7"),
                       ("Flo", "x" * 64)):
        user = emulator.user(name)
        await user.send_and_wait(f"/start {code}", contains="I understand")
        texts = user.bot_texts
        assert any("doesn't work any more" in t for t in texts), (name, texts)
        # Never which: wrong and expired read the same.
        assert not any("expired" in t and "used" not in t for t in texts)
        await user.press_and_wait("I understand", contains="Which country")
        await user.press_and_wait("Portugal", contains="Which exercises")


async def test_someone_set_up_is_asked_before_switching(bot: Deps, emulator: Emulator) -> None:
    code = await link_for(bot, uses="many")
    cara = emulator.user("Cara")
    await onboard(cara)
    await cara.send_and_wait(f"/start {code}", contains="Your provider suggested")
    await cara.press_and_wait("Keep my program", contains="stays as it was")
    assert len([p for p in (await kept(bot, cara)).program.values() if p.enabled]) == 5

    await cara.send_and_wait(f"/start {code}", contains="Your provider suggested")
    await cara.press_and_wait("Use this program", contains="this is your program now")
    await cara.wait_for(lambda e: "/appointment" in e.text, what="the visit's hint")
    person = await kept(bot, cara)
    data = await mydata_json(cara)
    assert {e for e, p in person.program.items() if p.enabled} == {"head_rolls", "bird_dog"}
    assert [(c["what"], c["after"]) for c in data["program_changes"]] == [
        ("provider", "head_rolls,bird_dog")]


async def test_a_link_opened_before_consent_waits_on_the_button(bot: Deps,
                                                                 emulator: Emulator) -> None:
    """Nothing is stored before "I understand", so declining first still keeps the link."""
    code = await link_for(bot)
    dan = emulator.user("Dan")
    await dan.send_and_wait(f"/start {code}", contains="I understand")
    assert await kept_nothing(bot, dan)
    await dan.press_and_wait("Not now", contains="haven't kept anything")
    assert await kept_nothing(bot, dan)
    await dan.press_and_wait("I'm ready", contains="Which country")
    await dan.send_and_wait("Spain", contains="Your provider suggested")
    await dan.press_and_wait("Change it", contains="Which exercises")
    await dan.press_and_wait("Done", contains="Here is your program")
    await dan.press_and_wait("These are right", contains="safety rules")
    await dan.press_and_wait("Got it", contains="all set")
    person = await kept(bot, dan)
    assert person.program["bird_dog"].sets == 3


async def kept_nothing(deps: Deps, user: TestUser) -> bool:
    async with deps.unit_of_work() as uow:
        return await uow.people.get(user.user_id) is None


async def test_words_after_start_are_still_checked_for_warning_signs(
        bot: Deps, emulator: Emulator) -> None:
    """Only a code's shape is taken as a link; words typed after /start are read first."""
    gil = emulator.user("Gil")
    await gil.send_and_wait("/start I have crushing chest pain spreading to my left arm",
                            contains="get medical help now")
    assert not any("doesn't work any more" in t for t in gil.bot_texts)
