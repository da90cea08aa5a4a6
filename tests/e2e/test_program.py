"""/program end to end: the real Application over HTTP against the emulator, a real database
and a manual clock. A change is said back, the next session follows it, everything from
before is kept, and bad input (stale or forged buttons, amounts out of range, odd text)
gets a kind answer and changes nothing."""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import HUMAN_PAUSE, begin, stored


def revision(user: TestUser) -> str:
    """The revision the bot drew its last buttons for (the last part of their data)."""
    message = user.last_message_with_buttons()
    assert message is not None and message.buttons[0][0].callback_data is not None
    return message.buttons[0][0].callback_data.rsplit("|", 1)[-1]


async def skip_through(world: TimedWorld, user: TestUser, exercises: int) -> None:
    for _ in range(exercises):
        await world.advance(HUMAN_PAUSE)
        await user.press_and_wait("Skip exercise")
    await user.wait_for(lambda e: "hurt now" in e.text, what="the rating after")
    await user.press_and_wait("1", contains="Session finished")


async def test_a_changed_program_is_followed_and_history_kept(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await begin(timed, ana, pain="3")
        await skip_through(timed, ana, 5)

        await ana.send_and_wait("/program", contains="Your program")
        first_menu = ana.last_message_with_buttons()
        await ana.press_and_wait("Exercises", contains="Which exercises does your provider")
        await ana.send_and_wait("2 and 5", contains="You chose: 2. Shoulder blade squeeze, "
                                "5. Bird dog.")
        await ana.press_and_wait("Save", contains="Saved. Your exercises now: "
                                 "2. Shoulder blade squeeze, 5. Bird dog.")
        await ana.press_and_wait("Amounts", contains="Your amounts now")
        await ana.press_and_wait("Change 2. Bird dog", contains="What did your provider change")
        await ana.press_and_wait("Sets", contains="How much is it now")
        await ana.send_and_wait("99", contains="I can only count from")
        await ana.press_data(f"1|value|99|{revision(ana)}")  # a forged button, current revision
        await ana.expect("I can only count from")
        await ana.send_and_wait("4", contains="Saved: Bird dog, sets: 5 → 4.")
        await ana.press_and_wait("Back", contains="Your program")
        await ana.press_and_wait("Country", contains="Which country are you in now")
        await ana.send_and_wait("Canada", contains="emergency number is 911")
        assert first_menu is not None
        await ana.press("Exercises", message=first_menu)  # a stale button: nothing changes
        await ana.wait_for(lambda e: e.kind == "callback_answer" and "earlier" in e.text)
        await ana.press_and_wait("Nothing more", contains="Your program is up to date")

        await timed.advance(HUMAN_PAUSE)
        await begin(timed, ana, pain="2")
        await ana.wait_for(lambda e: "Exercise 1 of 2: Shoulder blade squeeze" in e.text,
                           what="the new program's first exercise")
        await ana.press_and_wait("Skip exercise", contains="Exercise 2 of 2: Bird dog")
        await ana.press_and_wait("I'm in position", contains="Set 1 of 4")
        person = await stored(timed, ana)
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            sessions = await uow.people.session_history(ana.user_id)
            pain = await uow.people.pain_history(ana.user_id)
            changes = await uow.people.program_history(ana.user_id)
    assert person is not None and person.country_code == "CA"
    assert sorted(e for e, p in person.program.items() if p.enabled) == [
        "bird_dog", "scapular_squeeze"]
    assert person.program["bird_dog"].sets == 4
    assert [len(s.plan) for s in sessions] == [5, 2]  # the first session is kept as it was
    assert [(p.moment, p.rating) for p in pain] == [("before", 3), ("after", 1), ("before", 2)]
    assert [(c.what, c.before, c.after) for c in changes] == [
        ("exercises", "head_rolls,scapular_squeeze,pec_stretch,cat_camel,bird_dog",
         "scapular_squeeze,bird_dog"),
        ("dose", "5", "4"),
        ("country", "PT", "CA")]


async def test_odd_input_in_program_gets_a_kind_answer_and_changes_nothing(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        before = await stored(timed, ben)
        await ben.send_and_wait("/program", contains="Your program")
        await ben.send_sticker()
        await ben.expect("sticker")
        await ben.send_and_wait("Ω≈ç√ 你好 🙂 " * 600, contains="Your program")
        await ben.press_data(f"1|change|nonsense|{revision(ben)}")  # forged
        await ben.expect("Please choose one of the buttons")
        await ben.press_and_wait("Exercises", contains="Which exercises does your provider")
        await ben.send_and_wait("7 8 9", contains="from 1 to 5")
        await ben.press_data(f"1|toggle|no_such_exercise|{revision(ben)}")  # forged
        await ben.expect("from 1 to 5")
        await ben.send_and_wait("/cancel", contains="Everything you told me is saved")
        await ben.send_and_wait("/program", contains="Your program")
        await ben.press_and_wait("Country", contains="Which country are you in now")
        await ben.send_and_wait("Atlantis", contains="couldn't find a country")
        await ben.press_and_wait("Back", contains="Your program")
        after = await stored(timed, ben)
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            changes = await uow.people.program_history(ben.user_id)
    assert before is not None and after is not None
    assert after.program == before.program and after.country_code == before.country_code
    assert changes == []
