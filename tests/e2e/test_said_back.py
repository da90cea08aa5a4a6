"""Saying back what was understood, and asking when it is ambiguous: dates of a visit,
a time zone guessed from a clock, quiet hours that hide a reminder.

The shared clock is moved to Monday 7 December 2026, 08:00 UTC (08:00 in Lisbon).
"""

from __future__ import annotations

from bot.emulator import TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import reminders_of

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
