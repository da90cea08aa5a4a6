"""Saying back what was understood, and asking when it is ambiguous: dates of a visit,
a time zone guessed from a clock, quiet hours that hide a reminder.

The shared clock is moved to Monday 7 December 2026, 08:00 UTC (08:00 in Lisbon).
"""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import reminders_of
from tests.e2e.test_session import stored

MONDAY_7_DECEMBER = 336  # days after the clock's start, Monday 5 January 2026


def buttons(user: TestUser) -> list[str]:
    message = user.last_message_with_buttons()
    return message.labels if message else []


async def test_next_tuesday_on_a_monday_is_asked_and_only_real_reminders_promised(
        timed: TimedWorld) -> None:
    timed.clock.advance(days=MONDAY_7_DECEMBER)
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await ana.send_and_wait("/appointment", contains="Which time zone")
        await ana.send_and_wait("Lisbon", contains="When is your next visit")
        await ana.send_and_wait("next Tuesday", contains="which day do you mean")
        assert buttons(ana) == ["Tue 8 Dec", "Tue 15 Dec"]
        await ana.press_and_wait("Tue 8 Dec", contains="At what time")
        await ana.send_and_wait("10:30", contains="Who is it with")
        saved = await ana.send_and_wait("Dr Silva", contains="Tue 08 Dec 2026 at 10:30")
        assert "the day before" in saved.text and "3 days" not in saved.text
        kinds = {kind for kind, status, _ in await reminders_of(timed, ana)
                 if status == "pending"}
        assert kinds == {"appointment_1d", "visit_done"}

        await ana.send_and_wait("/appointment", contains="Your next visit")
        await ana.press_and_wait("Change it", contains="When is your next visit")
        await ana.send_and_wait("tuesday week", contains="At what time")
        await ana.send_and_wait("10:30", contains="Who is it with")
        saved = await ana.press_and_wait("Skip", contains="Tue 15 Dec 2026 at 10:30")
        assert "3 days and 1 day before" in saved.text

        await ana.send_and_wait("/appointment", contains="Your next visit")
        await ana.press_and_wait("Change it", contains="When is your next visit")
        await ana.send_and_wait("today", contains="At what time")
        await ana.send_and_wait("17:00", contains="Who is it with")
        saved = await ana.press_and_wait("Skip", contains="Mon 07 Dec 2026 at 17:00")
        assert "no reminder before it" in saved.text and "remind you" not in saved.text


async def test_a_time_typed_for_the_zone_is_checked_before_it_is_saved(
        timed: TimedWorld) -> None:
    timed.clock.advance(days=MONDAY_7_DECEMBER)  # 08:00 UTC
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await ben.send_and_wait("/reminders", contains="Reminders are off")
        await ben.press_and_wait("⏰ Time", contains="which time zone")
        # The time he wants the reminder at: UTC-00:30 is no place's offset.
        await ben.send_and_wait("7:30", contains="It isn't 07:30 anywhere right now")
        await ben.send_and_wait("10:00", contains="Is it 10:00 for you right now")
        assert "UTC+02:00" in ben.bot_texts[-1]
        assert buttons(ben) == ["Yes, it's 10:00 here", "No"]
        await ben.press_and_wait("No", contains="type your city")
        person = await stored(timed, ben)
        assert person is not None and person.reminder_settings.time_zone is None
        await ben.send_and_wait("9:00", contains="Is it 09:00 for you right now")
        await ben.press_and_wait("Yes", contains="Time zone: UTC+01:00")
        assert "When should I remind you" in ben.bot_texts[-1]
        await ben.press_and_wait("07:00", contains="every day at 07:00, UTC+01:00")

        await ben.press_and_wait("Time zone", contains="Which time zone")
        await ben.send_and_wait("UTC-02:15", contains="couldn't work that out")
        await ben.send_and_wait("8:00", contains="Is it 08:00 for you right now")
        await ben.send_and_wait("yes", contains="Time zone: UTC+00:00")
        person = await stored(timed, ben)
        assert person is not None and person.reminder_settings.time_zone == "UTC+00:00"


async def test_the_visit_asks_about_a_zone_guessed_from_a_clock(timed: TimedWorld) -> None:
    timed.clock.advance(days=MONDAY_7_DECEMBER)
    async with timed.bot():
        cy = timed.emulator.user("Cy")
        await onboard(cy)
        await cy.send_and_wait("/appointment", contains="Which time zone")
        await cy.send_and_wait("13:30", contains="Is it 13:30 for you right now")
        assert "UTC+05:30" in cy.bot_texts[-1]
        await cy.send_and_wait("no", contains="type your city")
        await cy.send_and_wait("13:30", contains="Is it 13:30 for you right now")
        await cy.send_and_wait("Kolkata", contains="Time zone: Asia/Kolkata")
        assert "When is your next visit" in cy.bot_texts[-1]


async def test_quiet_hours_that_hide_the_reminder_are_said_and_shown(
        timed: TimedWorld) -> None:
    async with timed.bot():  # Monday 5 January 2026, 08:00 in Lisbon (UTC)
        dee = timed.emulator.user("Dee")
        await onboard(dee)
        await dee.send_and_wait("/reminders", contains="Reminders are off")
        assert "No quiet hours" in dee.bot_texts[-1]
        await dee.press_and_wait("⏰ Time", contains="which time zone")
        await dee.send_and_wait("Lisbon", contains="When should I remind you")
        await dee.send_and_wait("6:45", contains="every day at 06:45")
        await dee.press_and_wait("Quiet hours", contains="I won't send reminders then")
        await dee.press_and_wait("22:00 to 08:00", contains="inside your quiet hours")
        said = dee.bot_texts[-1]
        assert "daily reminder at 06:45" in said and "would come at 08:00" in said
        assert buttons(dee) == ["Remind me at 08:00", "End quiet hours at 06:45",
                                "Leave it: 08:00 is fine"]
        assert ("session", "pending", "06 08:00") in await reminders_of(timed, dee)

        await dee.press_and_wait("End quiet hours at 06:45", contains="Saved")
        assert "Quiet hours: 22:00 to 06:45" in dee.bot_texts[-1]
        assert ("session", "pending", "06 06:45") in await reminders_of(timed, dee)

        await dee.press_and_wait("⏰ Time", contains="When should I remind you")
        await dee.send_and_wait("23:00", contains="inside your quiet hours")
        await dee.press_and_wait("Remind me at 06:45", contains="every day at 06:45")
        assert "Quiet hours: 22:00 to 06:45" in dee.bot_texts[-1]

        await dee.press_and_wait("Daily pain check-in", contains="ask how your back is")
        await dee.send_and_wait("5:30", contains="check-in prompt at 05:30")
        await dee.press_and_wait("Leave it", contains="every day at 06:45")
        assert "A short pain check-in every day at 05:30" in dee.bot_texts[-1]
        assert ("checkin", "pending", "06 06:45") in await reminders_of(timed, dee)


async def test_a_typed_number_is_the_number_typed_not_a_button(timed: TimedWorld) -> None:
    async with timed.bot():
        eli = timed.emulator.user("Eli")
        await eli.send_and_wait("/start", contains="I understand")
        await eli.send_and_wait("ok", contains="Which country")
        await eli.send_and_wait("Portugal", contains="Which exercises")
        await eli.send_and_wait("all", contains="You chose")
        await eli.send_and_wait("done", contains="Here is your program")
        await eli.send_and_wait("5", contains="What did your provider change")
        await eli.send_and_wait("hold", contains="type a number from 5 to 30")
        assert buttons(eli)[:6] == ["5", "10", "15", "20", "25", "30"]
        # The third and sixth buttons are 15 and 30: typed, 3 and 6 are 3 and 6.
        await eli.send_and_wait("3", contains="only count from 5 to 30")
        await eli.send_and_wait("6", contains="hold 6 s")
        await eli.send_and_wait("that's all", contains="safety rules")
        await eli.send_and_wait("got it", contains="all set")
        await eli.send_and_wait("/exercise", contains="Before you start")
        await eli.press_and_wait("I'm ready", contains="How much does your back hurt")
        await eli.send_and_wait("3", contains="Saved: 3/10")
        person = await stored(timed, eli)
        assert person is not None and person.program["bird_dog"].hold_seconds == 6
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.pain_history(eli.user_id)
        assert [(p.moment, p.rating) for p in history] == [("before", 3)]
