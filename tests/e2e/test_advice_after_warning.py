"""#15 points 7-8 end to end: the advice stays the same after a warning sign, reminders that
day are held back, and nothing promises what the bot will not do.

The shared manual clock starts on Monday 2026-01-05 08:00 UTC; Lisbon is on UTC then.
"""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import HOUR, reminders_of, set_daily_reminder
from tests.e2e.test_session import begin, stored


async def said_after(world: TimedWorld, user: TestUser, count: int) -> str:
    """Everything the bot said since the first `count` messages, once it is all out."""
    await world.settle()
    return "\n".join(user.bot_texts[count:])


async def test_urgent_holds_back_the_day_and_the_next_morning_asks_how_they_are(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await set_daily_reminder(ana, "09:00")
        await begin(timed, ana)
        await ana.send_and_wait("ive had a fever since yesterday",
                                contains="Please get medical help today")
        urgent = ana.bot_texts[-1]
        assert "won't send you any exercise reminders" in urgent
        assert "Tomorrow I'll ask how you are" in urgent
        count = len(ana.bot_texts)
        await ana.press_and_wait("I understand", contains="rest today")
        after = await said_after(timed, ana, count)
        assert "Resume" not in after and "/exercise" not in after
        assert "back to where we were" not in after
        await timed.advance(2 * HOUR)  # 10:00: today's 09:00 reminder never came
        assert "Time for your exercises" not in "\n".join(ana.bot_texts)
        assert ("session", "cancelled", "05 09:00") in await reminders_of(timed, ana)
        await timed.advance(22 * HOUR)  # Tuesday 08:00: the follow-up, before any exercise
        await ana.expect("How are you now?")
        assert "Time for your exercises" not in "\n".join(ana.bot_texts)
        await ana.press_and_wait("I'm feeling better", contains="glad")
        await timed.advance(HOUR)  # 09:00 Tuesday: the reminder is back
        await ana.expect("Time for your exercises")


async def test_a_snoozed_reminder_never_follows_a_call_your_doctor_check_in(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await set_daily_reminder(ben, "09:00")
        await timed.advance(HOUR)
        await ben.expect("Time for your exercises")
        await ben.press_and_wait("In 15 min", contains="again in 15 minutes")
        await ben.send_and_wait("/checkin", contains="How is your back today")
        await ben.press_and_wait("3", contains="new pain")
        await ben.press_and_wait("No", contains="worse than usual")
        count = len(ben.bot_texts)
        await ben.press_and_wait("Yes", contains="call your doctor")
        after = await said_after(timed, ben, count)
        assert "/exercise" not in after and "before your next session" in after
        count = len(ben.bot_texts)
        await timed.advance(30 * 60)
        assert "Time for your exercises" not in await said_after(timed, ben, count)


async def test_after_call_your_doctor_a_session_goes_on_only_if_mild(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        await begin(timed, cara, pain="2")
        await cara.press_and_wait("I'm in position")
        await cara.press_and_wait("It hurts", contains="How bad")
        await cara.press_and_wait("5", contains="Where do you feel it")
        await cara.press_and_wait("Neck", contains="Only go on if the pain is mild")
        message = cara.last_message_with_buttons()
        assert message is not None and message.labels == [
            "It's mild, go on gently", "Stop for today"]
        count = len(cara.bot_texts)
        await cara.press_and_wait("Stop for today", contains="Session finished")
        summary = await said_after(timed, cara, count)
        assert "call your doctor before your next session" in summary
        assert "/exercise" not in summary
        person = await stored(timed, cara)
        assert person is not None and person.follow_up is not None


async def test_forget_invites_only_to_start_again(timed: TimedWorld) -> None:
    async with timed.bot():
        dan = timed.emulator.user("Dan")
        await onboard(dan)
        await dan.send_and_wait("the pain is getting worse", contains="call your doctor")
        await dan.press_and_wait("No, thanks")
        await dan.send_and_wait("/forget", contains="Delete everything?")
        count = len(dan.bot_texts)
        await dan.press_and_wait("Yes, delete everything", contains="deleted")
        after = await said_after(timed, dan, count)
        assert "/exercise" not in after and "/start" in after
        assert "I won't send it" in after  # the check-in promised for tomorrow
        assert await stored(timed, dan) is None


async def test_no_follow_up_is_promised_before_consent(timed: TimedWorld) -> None:
    async with timed.bot():
        eve = timed.emulator.user("Eve")
        await eve.send_and_wait("/start", contains="I understand")
        count = len(eve.bot_texts)
        await eve.send_and_wait("ive had a fever since yesterday",
                                contains="Please get medical help today")
        after = await said_after(timed, eve, count)
        assert "tomorrow" not in after.lower() and "check in" not in after
        assert await stored(timed, eve) is None  # nothing kept, so nothing promised
