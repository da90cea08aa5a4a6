"""Bounded work per person, through the real bot: daily caps, cooldowns, any-state buttons.

The bot and the emulator share a manual clock (Monday 2026-01-05 08:00 UTC): cooldowns and
snoozes pass without sleeping.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.domain.limits.allowance import DAILY_CAPS
from bot.emulator import TestUser
from bot.telegram import callback_data
from storage.models import PainRatingRow, PersonRow, TriageDecisionRow
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import HOUR, reminders_of, set_daily_reminder

EMERGENCY = "crushing chest pain spreading to my left arm and jaw"
CRISIS = "i want to kill myself"
ANSWERED = "That one was already answered, so nothing changed."


def revision_of(user: TestUser) -> int:
    """The revision the newest buttons in the chat were drawn for."""
    latest = user.last_message_with_buttons()
    assert latest is not None
    press = callback_data.decode(latest.buttons[0][0].callback_data)
    assert press is not None
    return press.revision


async def triage_rows(world: TimedWorld, user: TestUser) -> list[tuple[str, str | None]]:
    assert world.deps is not None
    async with world.deps.engine.connect() as connection:
        rows = (await connection.execute(
            select(TriageDecisionRow.level, TriageDecisionRow.text).join(
                PersonRow, PersonRow.id == TriageDecisionRow.person_id).where(
                PersonRow.telegram_user_id == user.user_id).order_by(TriageDecisionRow.id))).all()
    return [(level, text) for level, text in rows]


async def test_a_stale_or_forged_snooze_adds_no_reminder(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await set_daily_reminder(ben, "09:00")
        await timed.advance(HOUR)
        await ben.expect("Time for your exercises")
        reminder = ben.last_message_with_buttons()
        assert reminder is not None
        await ben.press_and_wait("In 15 min", contains="again in 15 minutes")
        rows = await reminders_of(timed, ben)
        # The same message again (a double press), then made-up data at today's revision.
        await ben.press("In 1 hour", reminder)
        await timed.settle()
        assert ben.callback_answers[-1].text == ANSWERED
        forged = callback_data.encode("rem_snooze", "60", revision_of(ben))
        for _ in range(5):
            await ben.press_data(forged, reminder)
        await timed.settle()
        assert [a.text for a in ben.callback_answers[-5:]] == [ANSWERED] * 5
        assert await reminders_of(timed, ben) == rows


async def test_snoozes_stop_at_six_a_day(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        await set_daily_reminder(cara, "09:00")
        await timed.advance(HOUR)
        await cara.expect("Time for your exercises")
        for _ in range(DAILY_CAPS["snooze"]):
            await cara.press_and_wait("In 15 min", contains="again in 15 minutes")
            await timed.advance(15 * 60)
            await cara.expect("Time for your exercises")
        rows = await reminders_of(timed, cara)
        await cara.press_and_wait("In 15 min", contains="snoozed 6 times today")
        assert await reminders_of(timed, cara) == rows


async def test_a_forged_follow_up_answer_records_nothing(timed: TimedWorld) -> None:
    async with timed.bot():
        dan = timed.emulator.user("Dan")
        await onboard(dan)
        forged = callback_data.encode("fu_not_yet", "", revision_of(dan))
        for _ in range(3):
            await dan.press_data(forged)
        await timed.settle()
        assert [a.text for a in dan.callback_answers[-3:]] == [ANSWERED] * 3
        assert await triage_rows(timed, dan) == []


async def test_warning_signs_past_the_cap_are_still_answered(timed: TimedWorld) -> None:
    async with timed.bot():
        eve = timed.emulator.user("Eve")
        await onboard(eve)
        for _ in range(DAILY_CAPS["warning_records"] + 2):
            await eve.send_and_wait(EMERGENCY, contains="112")
            await eve.press_and_wait("seen")
        # Past every cap, a crisis still gets the crisis line and the number.
        reply = await eve.send_and_wait(CRISIS, contains="talk to someone now")
        assert "112" in reply.text and "day and night" in reply.text
        rows = await triage_rows(timed, eve)
        assert len(rows) == DAILY_CAPS["warning_records"]
        assert sum(text is not None for _, text in rows) == DAILY_CAPS["warning_words"]
        assert {level for level, _ in rows} == {"emergency"}
        await timed.advance(24 * HOUR)  # a new day: kept again, words and all
        await eve.send_and_wait(CRISIS, contains="talk to someone now")
        assert (await triage_rows(timed, eve))[-1] == ("emergency", CRISIS)


async def test_pain_ratings_past_the_cap_get_a_kind_word(timed: TimedWorld) -> None:
    async with timed.bot():
        fay = timed.emulator.user("Fay")
        await onboard(fay)
        for _ in range(DAILY_CAPS["pain"]):
            await fay.send_and_wait("/checkin", contains="How is your back today")
            await fay.send_and_wait("3", contains="any new pain")
        await fay.send_and_wait("/checkin", contains="How is your back today")
        await fay.send_and_wait("3", contains="won't add this one to your chart")
        assert timed.deps is not None
        async with timed.deps.engine.connect() as connection:
            count = (await connection.execute(
                select(func.count()).select_from(PainRatingRow))).scalar_one()
        assert count == DAILY_CAPS["pain"]


async def test_documents_have_a_cooldown(timed: TimedWorld) -> None:
    async with timed.bot(document_cooldown_seconds=120):
        gil = timed.emulator.user("Gil")
        await onboard(gil)
        await gil.send_and_wait("/mydata", contains="everything I have stored")
        await timed.advance(60)
        await gil.send_and_wait("/mydata", contains="ask for it again in about 1 min")
        await gil.send_and_wait("/progress")
        await gil.send_and_wait("/progress", contains="ask for it again in about 2 min")
        await timed.advance(61)
        await gil.send_and_wait("/mydata", contains="everything I have stored")
