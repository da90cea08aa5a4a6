"""Reminders end to end: settings, daily sends, snooze, skip, nudge, missed, blocked.

The bot and the emulator share a manual clock that starts on Monday 2026-01-05 08:00 UTC;
Lisbon is on UTC in January, so local and UTC times agree here (DST is the unit tests' job).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.emulator import TestUser
from storage.models import ReminderRow
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import stored

HOUR = 3600


async def set_daily_reminder(user: TestUser, when: str = "09:00") -> None:
    """/reminders, choose the time: the time zone is asked first (here: by location)."""
    await user.send_and_wait("/reminders", contains="Reminders are off")
    await user.press_and_wait("⏰ Time", contains="which time zone")
    await user.send_location(38.72, -9.14)  # Lisbon
    await user.expect("Time zone: Europe/Lisbon")
    if when.endswith(":00"):
        await user.press_and_wait(when, contains=f"every day at {when}")
    else:
        await user.send_and_wait(when, contains=f"every day at {when}")
    await user.press_and_wait("Done", contains="I'll remind you")


async def set_appointment(user: TestUser, zone_known: bool = False) -> None:
    """/appointment on Mon 12 January at 10:30 with Dr Silva (Lisbon, unless set already)."""
    if zone_known:
        await user.send_and_wait("/appointment", contains="When is your next visit")
    else:
        await user.send_and_wait("/appointment", contains="Which time zone")
        await user.send_and_wait("Lisbon", contains="When is your next visit")
    await user.send_and_wait("12 January", contains="At what time")
    await user.send_and_wait("10:30", contains="Who is it with")
    await user.send_and_wait("Dr Silva", contains="Mon 12 Jan 2026 at 10:30 with Dr Silva")


async def reminders_of(world: TimedWorld, user: TestUser) -> list[tuple[str, str, str]]:
    assert world.deps is not None
    async with world.deps.engine.connect() as connection:
        rows = (await connection.execute(select(ReminderRow).order_by(ReminderRow.id))).all()
    person = await stored(world, user)
    assert person is not None
    return [(r.kind, r.status, r.fire_at.strftime("%d %H:%M")) for r in rows
            if r.person_id == person.id]


async def test_settings_in_plain_words(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await set_daily_reminder(ana, "07:00")
        await ana.send_and_wait("/reminders", contains="every day at 07:00, Europe/Lisbon")
        await ana.press_and_wait("Days", contains="On which days")
        await ana.press_and_wait("Weekdays", contains="weekdays at 07:00")
        await ana.press_and_wait("⏰ Time", contains="When should I remind you")
        await ana.send_and_wait("7pm", contains="weekdays at 19:00")
        await ana.press_and_wait("Time zone", contains="Which time zone")
        await ana.send_and_wait("new york", contains="America/New_York")
        await ana.press_and_wait("Pause reminders", contains="paused")
        assert [r for r in await reminders_of(timed, ana) if r[1] == "pending"] == []
        await ana.press_and_wait("Resume reminders", contains="weekdays at 19:00")
        assert [r for r in await reminders_of(timed, ana) if r[1] == "pending"] == [
            ("session", "pending", "06 00:00")]  # 19:00 in New York is midnight UTC


async def test_daily_reminder_snooze_skip_and_start(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await set_daily_reminder(ben, "09:00")
        await timed.advance(HOUR)  # 09:00
        await ben.expect("Time for your exercises")
        await ben.press_and_wait("In 15 min", contains="again in 15 minutes")
        await timed.advance(15 * 60)
        await ben.expect("Time for your exercises")
        await ben.press_and_wait("Skip today", contains="rest today")
        await timed.advance(3 * HOUR)  # no nudge after a skip
        assert "nudge" not in ben.bot_texts[-1]
        await timed.advance(21 * HOUR)  # next day, 09:00 (+15 min of snooze left over)
        await ben.expect("Time for your exercises")
        await ben.press_and_wait("Start session now", contains="Before you start")
        await timed.advance(3 * HOUR)
        assert "nudge" not in " ".join(ben.bot_texts[-2:])
        assert ("session", "sent", "05 09:00") in await reminders_of(timed, ben)


async def test_done_says_what_will_be_sent(timed: TimedWorld) -> None:
    """"Done. I'll remind you as set." was said with reminders off."""
    async with timed.bot():
        fay = timed.emulator.user("Fay")
        await onboard(fay)
        await fay.send_and_wait("/reminders", contains="Reminders are off")
        done = await fay.press_and_wait("Done", contains="Done.")
        assert done.text == "Done. Reminders are off, so I won't send any."
        await set_daily_reminder(fay, "09:00")
        assert fay.bot_texts[-1] == "Done. I'll remind you every day at 09:00."
        await fay.send_and_wait("/reminders", contains="every day at 09:00")
        await fay.press_and_wait("Pause reminders", contains="paused")
        done = await fay.press_and_wait("Done", contains="Done.")
        assert done.text == "Done. Reminders are paused: I won't send any until you resume them."


async def test_snooze_and_skip_are_said_once(timed: TimedWorld) -> None:
    """Each answer came twice: as the button's pop-up and as a message."""
    async with timed.bot():
        gus = timed.emulator.user("Gus")
        await onboard(gus)
        await set_daily_reminder(gus, "09:00")
        await timed.advance(HOUR)
        await gus.expect("Time for your exercises")
        await gus.press_and_wait("In 15 min", contains="again in 15 minutes")
        await timed.advance(15 * 60)
        await gus.expect("Time for your exercises")
        await gus.press_and_wait("Skip today", contains="rest today")
        await timed.settle()
        for words in ("again in 15 minutes", "rest today"):
            shown = [e.kind for e in gus.transcript if e.who == "bot" and words in e.text]
            assert shown == ["text"], words


async def test_one_gentle_nudge_when_nothing_happens(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        await set_daily_reminder(cara, "09:00")
        await timed.advance(HOUR)
        await cara.expect("Time for your exercises")
        await timed.advance(2 * HOUR)
        await cara.expect("gentle nudge")
        count = len(cara.bot_texts)
        await timed.advance(6 * HOUR)
        assert len(cara.bot_texts) == count  # never more than one that day


async def test_a_reminder_due_while_the_bot_was_down(timed: TimedWorld) -> None:
    dan, eve = timed.emulator.user("Dan"), timed.emulator.user("Eve")
    async with timed.bot():
        await onboard(dan)
        await set_daily_reminder(dan, "09:00")
        await onboard(eve)
        await set_daily_reminder(eve, "10:30")
    timed.clock.advance(seconds=3 * HOUR)  # down from 08:00 to 11:00
    async with timed.bot():
        await timed.tick()
        await eve.expect("Time for your exercises")  # 30 min late: still sent
        assert "Time for your exercises" not in " ".join(dan.bot_texts)  # 2 h late: missed
        assert ("session", "missed", "05 09:00") in await reminders_of(timed, dan)
        assert ("session", "pending", "06 09:00") in await reminders_of(timed, dan)


async def test_a_person_who_blocked_the_bot_is_not_tried_again(timed: TimedWorld) -> None:
    async with timed.bot():
        finn = timed.emulator.user("Finn")
        await onboard(finn)
        await set_daily_reminder(finn, "09:00")
        await finn.block()
        await timed.advance(HOUR)
        person = await stored(timed, finn)
        assert person is not None and person.inactive
        attempts = len(timed.emulator.requests_for(finn.chat_id, "sendMessage"))
        await timed.advance(24 * HOUR)
        assert len(timed.emulator.requests_for(finn.chat_id, "sendMessage")) == attempts
        await finn.unblock()
        await finn.send_and_wait("/help", contains="/reminders")
        person = await stored(timed, finn)
        assert person is not None and not person.inactive
        assert any(r[1] == "pending" for r in await reminders_of(timed, finn))


async def test_the_daily_check_in_prompt(timed: TimedWorld) -> None:
    async with timed.bot():
        gil = timed.emulator.user("Gil")
        await onboard(gil)
        await gil.send_and_wait("/reminders", contains="No daily check-in")
        await gil.press_and_wait("Daily pain check-in", contains="which time zone")
        await gil.send_and_wait("Lisbon", contains="ask how your back is")
        await gil.press_and_wait("20:00", contains="check-in every day at 20:00")
        await timed.advance(12 * 3600)  # 20:00
        await gil.expect("How is your back today?")
        await gil.press_and_wait("Check in now", contains="0 is no pain")
        await gil.press_and_wait("2", contains="new pain")
        assert ("checkin", "pending", "06 20:00") in await reminders_of(timed, gil)


async def test_appointment_reminders_and_after_the_visit(timed: TimedWorld) -> None:
    async with timed.bot():
        hana = timed.emulator.user("Hana")
        await onboard(hana)
        await hana.send_and_wait("i have a question about the bird dog, is it normal to worry",
                                 contains="call your doctor")
        await hana.press_and_wait("Save it as a question", contains="Saved")
        await set_appointment(hana)
        await timed.advance(4 * 24 * 3600 + 3600)  # Fri 9 Jan, 09:00
        await hana.expect("is in 3 days")
        await hana.press_and_wait("Send my questions and chart", contains="is it normal to worry")
        await timed.advance(2 * 24 * 3600)  # Sun 11 Jan, 09:00
        await hana.expect("tomorrow")
        await timed.advance(27 * 3600 + 1800)  # Mon 12 Jan, 12:30: two hours after the visit
        await hana.expect("How did your visit go?")
        await hana.press_and_wait("Yes, mark them answered", contains="marked answered")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            questions = await uow.people.questions(hana.user_id)
            person = await uow.people.get(hana.user_id)
        assert [q.answered_at is not None for q in questions] == [True]
        assert person is not None and person.appointment is None


async def test_the_session_summary_says_when_the_next_reminder_comes(timed: TimedWorld) -> None:
    from tests.e2e.test_session import begin

    async with timed.bot():
        ivy = timed.emulator.user("Ivy")
        await onboard(ivy)
        await set_daily_reminder(ivy, "09:00")
        await timed.advance(HOUR)
        await ivy.expect("Time for your exercises")
        await begin(timed, ivy)
        await ivy.press_and_wait("End session", contains="after the session")
        await ivy.press_and_wait("1", contains="Session finished")
        assert "I'll remind you on Tue 06 Jan at 09:00" in ivy.bot_texts[-1]
