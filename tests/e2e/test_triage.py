"""Warning signs end to end: real Application, emulator over HTTP, SQLite, a manual clock."""

from __future__ import annotations

from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import in_a_hold, stored


async def test_an_emergency_typed_during_a_hold_stops_the_session(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana, "United States")
        await in_a_hold(timed, ana)
        await ana.send_and_wait("cant breath and my chest feels tight",
                                contains="Please get medical help now")
        assert "Call 911" in ana.bot_texts[-1]
        for _ in range(10):  # the hold's deadline passes: nothing more is said about it
            await timed.advance(1)
        assert "Release" not in ana.bot_texts[-1]
        person = await stored(timed, ana)
        assert person is not None and person.session is None  # ended, not paused
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.triage_history(ana.user_id)
        assert [(r.level, r.source) for r in history] == [("emergency", "message")]
        await ana.send_and_wait("/exercise", contains="Quick reminder")  # never locked out


async def test_the_next_day_follow_up_arrives(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await ben.send_and_wait("the pain is getting worse", contains="call your doctor")
        await ben.press_and_wait("Save it as a question", contains="Saved")
        await timed.advance(23 * 3600)
        assert "Did you manage" not in ben.bot_texts[-1]
        await timed.advance(3600)
        await ben.expect("Did you manage to reach them")
        await ben.press_and_wait("Yes, I reached them", contains="I hope it helped")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            questions = await uow.people.questions(ben.user_id)
            person = await uow.people.get(ben.user_id)
        assert [q.text for q in questions] == ["the pain is getting worse"]
        assert person is not None and person.follow_up is None


async def test_words_under_a_photo_are_read_for_warning_signs(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara, "Australia")
        await cara.send_photo(caption="look, my back. also i fainted this morning")
        await cara.expect("Please get medical help now")
        assert "Call 000" in cara.bot_texts[-1]
