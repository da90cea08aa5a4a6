"""Guided sessions end to end: real Application, emulator over HTTP, SQLite, a manual clock.

Holds take no real time: the test moves the shared clock and runs the scheduler's tick,
exactly as the job queue does every second in production.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.model import Person
from bot.emulator import Emulator, TestUser
from bot.emulator.model import TranscriptEntry
from tests.e2e.conftest import BotProcess, TimedWorld
from tests.e2e.test_onboarding import onboard

HUMAN_PAUSE = 2.0  # seconds a person takes between presses, in the shared clock


async def stored(world: TimedWorld, user: TestUser) -> Person | None:
    assert world.deps is not None
    async with world.deps.unit_of_work() as uow:
        return await uow.people.get(user.user_id)


async def begin(world: TimedWorld, user: TestUser, pain: str = "2") -> None:
    await user.send_and_wait("/exercise")
    await world.advance(HUMAN_PAUSE)
    await user.press_and_wait("I'm ready", contains="How much does your back hurt")
    await world.advance(HUMAN_PAUSE)
    await user.press_and_wait(pain)


async def in_a_hold(world: TimedWorld, user: TestUser) -> None:
    """Begin a session and start the first exercise's first hold (the person is onboarded)."""
    await begin(world, user)
    await user.press_and_wait("I'm in position")
    await user.press_and_wait("Done, next")
    await user.press_and_wait("▶ Start hold (5 s)", contains="left")


def _labels(user: TestUser) -> list[str]:
    message = user.last_message_with_buttons()
    return message.labels if message else []


async def hold(world: TimedWorld, user: TestUser, seconds: int) -> None:
    """Start the hold, let the clock run second by second, and see it released."""
    label = next(b for b in _labels(user) if b.startswith("▶ Start hold"))
    await user.press_and_wait(label, contains="left. Keep breathing")
    for _ in range(seconds):
        await world.advance(1)
    await user.wait_for(lambda e: e.kind == "text" and "Release" in e.text,
                        what="the release message")


async def walk_until(world: TimedWorld, user: TestUser, stop: str) -> tuple[int, int]:
    """Press through steps until a message containing `stop`; count steps and holds."""
    steps = holds = 0
    while stop not in (user.last_bot_message.text if user.last_bot_message else ""):
        await world.advance(HUMAN_PAUSE)
        labels = _labels(user)
        start = [b for b in labels if b.startswith("▶ Start hold")]
        if start:
            holds += 1
            steps += 1
            await hold(world, user, int(start[0].split("(")[1].split(" ")[0]))
        elif "✅ I'm in position" in labels:
            await user.press_and_wait("I'm in position")
        else:
            steps += 1
            await user.press_and_wait("Done, next")
    return steps, holds


def most_in_one_second(world: TimedWorld, user: TestUser, since: float,
                       method: str | None = None) -> int:
    """The most requests to this chat inside any one second of the shared clock."""
    times = sorted(r.time for r in world.emulator.requests_for(user.chat_id, method)
                   if r.time >= since)
    return max((sum(1 for t in times if start <= t < start + 1) for start in times), default=0)


async def test_a_whole_session_of_all_five_exercises(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await timed.advance(HUMAN_PAUSE)
        session_start = timed.clock.now().timestamp()
        await begin(timed, ana)
        steps, holds = await walk_until(timed, ana, "How much does your back hurt now")
        assert (steps, holds) == (12 + 6 + 9 + 6 + 40, 6 + 3 + 3 + 6 + 10)
        await ana.press_and_wait("1", contains="Session finished")
        person = await stored(timed, ana)
    summary = ana.bot_texts[-1]
    assert "Done: 5" in summary and "Skipped: 0" in summary and "after: 1/10" in summary
    assert person is not None and person.session is None  # finished, so not loaded again
    countdowns = [e for e in ana.transcript if e.kind == "edit" and "10 s" in e.text]
    assert len(countdowns) == 3 + 10  # every 15 s hold shows 10 s left once
    # Countdown edits stay far apart; a hold's end is one edit plus the new message.
    assert most_in_one_second(timed, ana, session_start, "editMessageText") == 1
    assert most_in_one_second(timed, ana, session_start) <= 2


async def test_a_session_stopped_for_pain(timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        await begin(timed, ben, pain="3")
        await ben.press_and_wait("I'm in position")
        await ben.press_and_wait("It hurts, stop", contains="How bad is the pain")
        await ben.press_and_wait("6", contains="Where do you feel it")
        await ben.press_and_wait("Shoulder", contains="call your doctor")
        # #15: after a call-your-doctor, the session goes on only once they say it is mild.
        await ben.press_and_wait("It's mild, go on gently", contains="Go gently")
        await ben.press_and_wait("End session", contains="after the session")
        await ben.press_and_wait("5", contains="Stopped for pain: 1")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.pain_history(ben.user_id)
    assert [(p.moment, p.rating, p.where) for p in history] == [
        ("before", 3, None), ("during", 6, "shoulder"), ("after", 5, None)]
    assert history[1].exercise_id == "head_rolls"


async def test_pause_and_resume_across_a_restart(timed: TimedWorld) -> None:
    cara = timed.emulator.user("Cara")
    async with timed.bot():
        await onboard(cara)
        await begin(timed, cara)
        await cara.press_and_wait("I'm in position")
        await cara.press_and_wait("Done, next", contains="Set 1 of 3 · hold 5 s")
        shown = cara.last_bot_message
        assert shown is not None
        step_text = shown.text
        await cara.press_and_wait("Pause", contains="Paused")
    async with timed.bot():  # a new process: nothing but the database carries over
        await cara.send_and_wait("/exercise", contains="carry on")
        again = cara.last_bot_message
        assert again is not None and step_text.split("\n")[-1] in again.text
        await hold(timed, cara, 5)
        person = await stored(timed, cara)
    assert person is not None and person.session is not None
    assert person.session.cursor.step == 2 and person.session.status == "active"


async def test_a_restart_in_the_middle_of_a_hold(timed: TimedWorld) -> None:
    dan = timed.emulator.user("Dan")
    async with timed.bot():
        await onboard(dan)
        await begin(timed, dan)
        await dan.press_and_wait("I'm in position")
        await dan.press_and_wait("Done, next")
        await dan.press_and_wait("▶ Start hold (5 s)", contains="left")
        await timed.advance(1)
    timed.clock.advance(seconds=120)  # the bot is down while the hold should have ended
    async with timed.bot():
        await timed.tick()
        await dan.expect("interrupted")
        person = await stored(timed, dan)
        assert person is not None and person.session is not None
        assert person.session.results == {} and person.session.cursor.step == 1
        await dan.press_and_wait("Start the hold again", contains="left")
        for _ in range(5):
            await timed.advance(1)
        await dan.expect("Release")


async def test_a_hold_survives_a_quick_restart(timed: TimedWorld) -> None:
    eve = timed.emulator.user("Eve")
    async with timed.bot():
        await onboard(eve)
        await begin(timed, eve)
        await eve.press_and_wait("I'm in position")
        await eve.press_and_wait("Done, next")
        await eve.press_and_wait("▶ Start hold (5 s)", contains="left")
    async with timed.bot():  # back within the hold: its deadline is still in the database
        await timed.advance(5)
        await eve.expect("Release")


async def test_double_presses_count_once(timed: TimedWorld) -> None:
    async with timed.bot():
        finn = timed.emulator.user("Finn")
        await onboard(finn)
        await begin(timed, finn)
        await finn.press_and_wait("I'm in position")
        step = finn.last_bot_message
        assert step is not None
        await finn.press("Done, next", message=step)
        await finn.press("Done, next", message=step)
        await finn.wait_for(_answer("earlier message"), what="the stale-button notice")
        await timed.emulator.wait_delivered()
        person = await stored(timed, finn)
    assert person is not None and person.session is not None
    assert person.session.cursor.step == 1


async def test_a_finished_sessions_buttons_change_nothing(timed: TimedWorld) -> None:
    async with timed.bot():
        gil = timed.emulator.user("Gil")
        await onboard(gil)
        await begin(timed, gil)
        await gil.press_and_wait("I'm in position")
        old_step = gil.last_bot_message
        await gil.press_and_wait("End session", contains="after the session")
        await gil.press_and_wait("2", contains="Session finished")
        await gil.press("Done, next", message=old_step)
        await gil.wait_for(_answer("That session has ended"), what="the ended notice")
        await timed.emulator.wait_delivered()
        person = await stored(timed, gil)
    assert person is not None and person.session is None
    assert person.conversation.flow == "home"


async def test_severe_pain_that_stops_moving_shows_the_emergency_number(
        timed: TimedWorld) -> None:
    async with timed.bot():
        hana = timed.emulator.user("Hana")
        await onboard(hana, "United States")
        await begin(timed, hana, pain="9")
        await hana.expect("Can you move around")
        await hana.press_and_wait("The pain stops me moving", contains="Call 911")
        await hana.press_and_wait("I've seen this", contains="Take care")
        person = await stored(timed, hana)
    assert person is not None and person.session is None


def _answer(text: str) -> Callable[[TranscriptEntry], bool]:
    def check(entry: TranscriptEntry) -> bool:
        return entry.kind == "callback_answer" and text in entry.text
    return check


async def test_a_killed_process_resumes_the_session_at_the_same_step(
        emulator: Emulator, bot_process: BotProcess) -> None:
    await bot_process.start()
    ivy = emulator.user("Ivy")
    await onboard(ivy)
    await ivy.send_and_wait("/exercise")
    await ivy.press_and_wait("I'm ready", contains="How much")
    await ivy.press_and_wait("2", contains="Exercise 1 of 5")
    await ivy.press_and_wait("I'm in position", contains="Set 1 of 3")
    await ivy.press_and_wait("Done, next", contains="Set 1 of 3 · hold 5 s")
    shown = ivy.last_bot_message
    assert shown is not None
    await bot_process.kill()  # SIGKILL: no shutdown code runs
    await bot_process.start()
    await ivy.send_and_wait("/exercise", contains="carry on")
    assert shown.text in ivy.bot_texts[-1]
    # The message shown before the crash still works: nothing was lost or moved on.
    await ivy.press_and_wait("▶ Start hold (5 s)", contains="left. Keep breathing",
                             message=shown)
    assert await bot_process.terminate() == 0


async def test_the_tick_prunes_week_old_update_ids(timed: TimedWorld) -> None:
    from sqlalchemy import func, select

    from storage.models import ProcessedUpdateRow

    async with timed.bot():
        joe = timed.emulator.user("Joe")
        await onboard(joe)
        deps = timed.deps
        assert deps is not None

        async def kept() -> int:
            async with deps.engine.connect() as connection:
                query = select(func.count()).select_from(ProcessedUpdateRow)
                return int((await connection.execute(query)).scalar_one())

        assert await kept() == 7  # the seven updates onboarding took
        await timed.advance(3 * 86400)
        assert await kept() == 7
        await timed.advance(5 * 86400)
        assert await kept() == 0


async def test_after_a_stop_for_pain_call_your_doctor_is_said_once(timed: TimedWorld) -> None:
    """Pain 3 before, 6 when it hurt, 5 after: the summary repeated the call-doctor line
    word for word, and the record held the same warning twice. Now the line comes once,
    the summary says what to do, and the warning is kept once."""
    async with timed.bot():
        ida = timed.emulator.user("Ida")
        await onboard(ida)
        await begin(timed, ida, pain="3")
        await ida.press_and_wait("I'm in position")
        await ida.press_and_wait("It hurts, stop", contains="How bad is the pain")
        await ida.press_and_wait("6", contains="Where do you feel it")
        await ida.press_and_wait("Shoulder", contains="call your doctor")
        await ida.press_and_wait("It's mild, go on gently", contains="Go gently")
        await ida.press_and_wait("End session", contains="after the session")
        await ida.press_and_wait("5", contains="Stopped for pain: 1")
        await timed.settle()
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            warnings = await uow.people.triage_history(ida.user_id)
    said = "\n".join(ida.bot_texts)
    assert said.count("Please call your doctor to tell them") == 1
    assert "Please remember to call your doctor" not in said
    summary = next(text for text in ida.bot_texts if "Stopped for pain: 1" in text)
    assert summary.startswith("Saved: 5/10.\n\nSession finished")
    assert summary.count("call your doctor") == 1
    assert "call your doctor before your next session" in summary
    assert [(w.level, w.rule) for w in warnings] == [("call_doctor", "pain_worse")]


async def test_typed_ratings_are_read_and_said_back(timed: TimedWorld) -> None:
    async with timed.bot():
        gus = timed.emulator.user("Gus")
        await onboard(gus)
        await gus.send_and_wait("/exercise")
        await gus.press_and_wait("I'm ready", contains="How much does your back hurt")
        await gus.send_and_wait("about a 4/10", contains="Saved: 4/10")
        await gus.press_and_wait("I'm in position")
        await gus.press_and_wait("It hurts, stop", contains="How bad is the pain")
        await gus.send_and_wait("4 or 5", contains="choose a number from 0 to 10")
        await gus.send_and_wait("5 out of 10", contains="Saved: 5/10")
        assert "Where do you feel it" in gus.bot_texts[-1]
        await gus.press_and_wait("Shoulder")
        await gus.press_and_wait("End session", contains="after the session")
        await gus.send_and_wait("like a 3", contains="Saved: 3/10")
        await gus.send_and_wait("/checkin", contains="How is your back today")
        await gus.send_and_wait("four", contains="Saved: 4/10")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.pain_history(gus.user_id)
    assert [(p.moment, p.rating) for p in history] == [
        ("before", 4), ("during", 5), ("after", 3), ("checkin", 4)]
