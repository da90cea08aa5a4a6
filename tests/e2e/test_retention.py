"""Retention on the tick: the words of a warning sign, the history, people who blocked the
bot long ago. Real Application, emulator, SQLite; months pass on the manual clock."""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import stored

WORRY = "the pain is getting worse"  # call your doctor
DAY = 24 * 3600.0


async def check_in(user: TestUser, rating: str = "3") -> None:
    await user.send_and_wait("/checkin", contains="How is your back today")
    await user.press_and_wait(rating, contains="new pain")
    await user.press_and_wait("No", contains="worse than usual")
    await user.press_and_wait("No", contains="check-in done")


async def change_country(user: TestUser, country: str) -> None:
    await user.send_and_wait("/program", contains="Your program")
    await user.press_and_wait("Country", contains="Which country are you in now")
    await user.press_and_wait(country, contains="emergency number")
    await user.press_and_wait("Nothing more", contains="up to date")


async def test_the_words_of_a_warning_sign_go_after_90_days_and_the_decision_stays(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await ana.send_and_wait(WORRY, contains="call your doctor")
        assert timed.deps is not None
        await timed.advance(89 * DAY)
        async with timed.deps.unit_of_work() as uow:
            (kept,) = await uow.people.triage_history(ana.user_id)
        assert kept.text == WORRY
        await timed.advance(2 * DAY)
        async with timed.deps.unit_of_work() as uow:
            (decision,) = await uow.people.triage_history(ana.user_id)
        assert decision.text is None
        assert (decision.level, decision.rule, decision.at) == (kept.level, kept.rule, kept.at)


async def test_history_older_than_a_year_goes_and_the_person_stays(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await check_in(ben, "3")
        await ben.send_and_wait(WORRY, contains="call your doctor")
        await ben.send_and_wait("/ask Is swimming fine?", contains="Saved")
        await change_country(ben, "Spain")
        await timed.advance(300 * DAY)
        recent = timed.clock.now()
        await check_in(ben, "2")
        await change_country(ben, "Italy")
        await timed.advance(70 * DAY)  # the first ones are 370 days old, the last 70
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            ratings = await uow.people.pain_history(ben.user_id)
            decisions = await uow.people.triage_history(ben.user_id)
            questions = await uow.people.questions(ben.user_id)
            changes = await uow.people.program_history(ben.user_id)
        person = await stored(timed, ben)
    assert [(c.before, c.after) for c in changes] == [("ES", "IT")]
    assert [r.rating for r in ratings] == [2]
    assert [(d.source, d.at >= recent) for d in decisions] == [("checkin", True)]
    assert [q.text for q in questions] == ["Is swimming fine?"]  # open: the person's own
    assert person is not None and person.country_code == "IT"  # the program itself stays


async def test_people_who_blocked_the_bot_long_ago_are_removed_only_when_asked(
        timed: TimedWorld) -> None:
    cai, dee = timed.emulator.user("Cai"), timed.emulator.user("Dee")
    async with timed.bot():
        for user in (cai, dee):
            await onboard(user)
            await user.send_and_wait(WORRY, contains="call your doctor")
        await cai.block()
        await timed.advance(DAY)  # the follow-up finds Cai gone
        person = await stored(timed, cai)
        assert person is not None and person.inactive
        await timed.advance(400 * DAY)  # off by default: kept, however long
        assert await stored(timed, cai) is not None
    async with timed.bot(forget_blocked_after_days=365):
        await timed.tick()
        assert await stored(timed, cai) is None
        assert await stored(timed, dee) is not None  # active, if quiet
    timed.clock.advance(days=1)
    await cai.unblock()
    async with timed.bot(forget_blocked_after_days=365):
        await cai.send_and_wait("/start", contains="I understand")  # new to the bot
