"""What the scheduler's jobs send (a hold's end, a follow-up, a reminder) when Telegram
fails: nothing is lost, a failed send is tried again within seconds, one failure never stops
the others, and a person who blocked the bot is marked inactive.

Time is the TimedWorld's manual clock: the tests move it and run the tick.
"""

from __future__ import annotations

import pytest

from bot.emulator import Faults, TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminder_delivery import (
    crowd,
    reminder_rows,
    reminders_received,
    statuses,
    timed_world,
)
from tests.e2e.test_session import begin, stored

RELEASE = "Release, and relax"
FOLLOW_UP = "Did you manage to reach them"


def sends_fail(kind: str = "502",
               flood_retry_after: int | tuple[int, int] = Faults.flood_retry_after) -> Faults:
    """Every new message fails (before Telegram acted on it); edits still go through."""
    return Faults(rate=1.0, kinds={kind: 1.0}, methods={"sendMessage"},
                  after_effect_share=0.0, flood_retry_after=flood_retry_after)


def new_messages(user: TestUser, words: str) -> int:
    """How many new messages (not edits) containing `words` reached this person."""
    return sum(1 for e in user.transcript
               if e.who == "bot" and e.kind == "text" and words in e.text)


async def into_a_hold(world: TimedWorld, user: TestUser) -> None:
    """Onboarded, in a session, a 5 s hold running."""
    await onboard(user)
    await begin(world, user)
    await user.press_and_wait("I'm in position")
    await user.press_and_wait("Done, next")
    await user.press_and_wait("▶ Start hold (5 s)", contains="left")


async def test_a_hold_release_that_meets_a_502_arrives_a_second_later(
        timed: TimedWorld) -> None:
    async with timed.bot():
        dan = timed.emulator.user("Dan")
        await into_a_hold(timed, dan)
        timed.emulator.inject(sends_fail())
        for _ in range(5):
            await timed.advance(1)  # the hold ends; its new message gets 502
        assert new_messages(dan, RELEASE) == 0
        assert [r.kind for r in timed.emulator.faults_log] == ["502"]
        timed.emulator.inject(None)
        await timed.advance(1)
        assert new_messages(dan, RELEASE) == 1
        await timed.advance(120)  # and never again
        assert new_messages(dan, RELEASE) == 1


async def test_a_hold_release_owed_by_a_process_that_stopped_is_sent_by_the_next(
        timed: TimedWorld) -> None:
    """The message is kept with the hold's end, not in the memory of the process."""
    eve = timed.emulator.user("Eve")
    async with timed.bot():
        await into_a_hold(timed, eve)
        timed.emulator.inject(sends_fail("drop"))
        await timed.advance(5)
        assert new_messages(eve, RELEASE) == 0
    timed.emulator.inject(None)
    async with timed.bot():
        await timed.advance(2)
        assert new_messages(eve, RELEASE) == 1
        person = await stored(timed, eve)
        assert person is not None and person.session is not None
        assert person.session.hold is None  # ended once, by the first process


async def test_a_hold_ending_for_someone_who_blocked_the_bot_marks_them_inactive(
        timed: TimedWorld) -> None:
    async with timed.bot():
        fay = timed.emulator.user("Fay")
        await into_a_hold(timed, fay)
        await fay.block()
        await timed.advance(5)
        person = await stored(timed, fay)
        assert person is not None and person.inactive
        tried = len(timed.emulator.requests_for(fay.chat_id, "sendMessage"))
        await timed.advance(300)  # not tried again
        assert len(timed.emulator.requests_for(fay.chat_id, "sendMessage")) == tried


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_follow_up_that_meets_a_flood_longer_than_the_limiter_waits_is_sent_after(
        timed: TimedWorld) -> None:
    """The emulator's flood lasts while its clock (the manual one) stands still, so the
    limiter's retries (a second each, in real time) run out and the 429 reaches the job."""
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await ben.send_and_wait("the pain is getting worse", contains="call your doctor")
        timed.emulator.inject(sends_fail("flood", flood_retry_after=1))
        await timed.advance(24 * 3600)
        assert new_messages(ben, FOLLOW_UP) == 0
        assert {r.kind for r in timed.emulator.faults_log} == {"flood"}
        timed.emulator.inject(None)
        await timed.advance(1)  # retry_after (1 s) asked; the job waits at least that
        assert new_messages(ben, FOLLOW_UP) == 1
        person = await stored(timed, ben)
        assert person is not None and person.follow_up is None


async def test_a_follow_up_for_someone_who_blocked_the_bot_marks_them_inactive(
        timed: TimedWorld) -> None:
    async with timed.bot():
        gus = timed.emulator.user("Gus")
        await onboard(gus)
        await gus.send_and_wait("the pain is getting worse", contains="call your doctor")
        await gus.block()
        await timed.advance(24 * 3600)
        person = await stored(timed, gus)
        assert person is not None and person.inactive and person.follow_up is None


async def test_a_reminder_wave_goes_on_past_failed_sends_and_retries_them_in_seconds(
        database_url: str) -> None:
    count = 8
    async with timed_world(database_url) as world, world.bot():
        people = await crowd(world, [f"W{i}" for i in range(count)])
        # About half the sends fail (502, a dropped connection), the rest go through.
        world.emulator.inject(Faults(rate=0.5, seed=3, kinds={"502": 1.0, "drop": 1.0},
                                     methods={"sendMessage"}, after_effect_share=0.0))
        await world.advance(3600)  # 09:00: one tick sends the whole wave
        failed = {r.chat_id for r in world.emulator.faults_log}
        assert 0 < len(failed) < count, failed
        assert {u.name: reminders_received(u) for u in people} == {
            u.name: 0 if u.user_id in failed else 1 for u in people}
        world.emulator.inject(None)
        for _ in range(3):  # tried again after a second, then two
            await world.advance(1)
        assert {u.name: reminders_received(u) for u in people} == {u.name: 1 for u in people}
        assert world.deps is not None
        assert (await statuses(world.deps.engine))["claimed"] == 0
        rows = await reminder_rows(world.deps.engine)
        for user in people:
            assert ("session", "sent", "05 09:00") in rows[user.user_id]
