"""Crash: a scripted person goes through onboarding, a session, check-ins, questions and an
export while `backcoach run` is killed with SIGKILL at 20 random moments and restarted.

Afterwards everything the bot acknowledged is stored exactly once, the conversation went on
where it was, and the reminder that fell due during the run was sent. Every kill lands while
she is using the bot (she reads her question list until the last one), and a reply owed
across restarts is waited for while kills go on, so how fast the machine is does not decide.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.emulator import Emulator, TestUser
from bot.emulator.chatview import contains_text
from bot.services.outbox import LEASE
from bot.services.reminders import STALE_CLAIM
from storage.models import PainRatingRow, PersonRow, QuestionRow, ReminderRow, SessionRow
from tests.e2e.conftest import BotProcess

KILLS = 20
SEED = 20261125
# A reply may wait for a restart (or two); a hold's release owed by a process killed after
# the commit waits for its outbox lease (bot.services.outbox.LEASE, a minute) first.
WAIT = 40.0 + LEASE.total_seconds()


# (send|press|location|remind|expect|reminder, what, the reply to wait for)
STEPS = [
    ("send", "/start", "I understand"),
    ("press", "I understand", "Which country"),
    ("press", "Portugal", "Which exercises"),
    ("press", "All 5", "Which exercises"),
    ("press", "Done", "Here is your program"),
    ("press", "These are right", "safety rules"),
    ("press", "Got it", "all set"),
    ("send", "/exercise", "Before you start"),
    ("press", "I'm ready", "How much does your back hurt"),
    ("press", "3", "Exercise 1 of 5"),
    ("press", "I'm in position", "Set 1 of 3"),
    ("press", "Done, next", "hold 5 s"),
    ("press", "▶ Start hold (5 s)", "left. Keep breathing"),
    ("expect", "", "Release"),
    ("press", "Skip exercise", "Exercise 2 of 5"),
    ("press", "Skip exercise", "Exercise 3 of 5"),
    ("press", "Skip exercise", "Exercise 4 of 5"),
    ("press", "Skip exercise", "Exercise 5 of 5"),
    ("press", "Skip exercise", "How much does your back hurt now"),
    ("press", "2", "session"),
    ("send", "/checkin", "How is your back today"),
    ("press", "4", "new pain"),
    ("press", "No", "worse than usual"),
    ("press", "No", "check-in done"),
    ("send", "/ask Is it fine to skip the bird dog on bad days?", "Saved"),
    ("send", "/ask", "What would you like to ask"),
    ("send", "Can I do the stretches at work?", "number 2 on your list"),
    ("send", "/reminders", "Reminders are off"),
    ("press", "⏰ Time", "which time zone"),
    ("location", "", "Time zone: Europe/Lisbon"),
    ("remind", "", "every day at"),
    ("press", "Done", "I'll remind you"),
    ("send", "/checkin", "How is your back today"),
    ("press", "2", "new pain"),
    ("press", "No", "worse than usual"),
    ("press", "No", "check-in done"),
    ("send", "/export", "what to take to your visit"),
    ("reminder", "", "Time for your exercises"),  # whenever it came
]


async def act(user: TestUser, kind: str, what: str, reply: str,
              killing: asyncio.Task[int]) -> None:
    if kind == "send":
        await user.send(what)
    elif kind == "press":
        await user.press(what)
    elif kind == "location":
        await user.send_location(38.72, -9.14)  # Lisbon
    elif kind == "remind":
        # Due a minute or so from now, so it falls due during the kills (Lisbon is UTC now).
        await user.send((datetime.now(UTC) + timedelta(seconds=90)).strftime("%H:%M"))
    elif kind == "reminder":  # sent at its minute, maybe before this step: look everywhere
        # A reminder claimed by a process that was then killed waits for the stale-claim
        # sweep (bot.services.reminders.STALE_CLAIM, five minutes) before it is sent.
        await user.wait_for(contains_text(reply), timeout=150 + STALE_CLAIM.total_seconds(),
                            since=0, what="the reminder")
        return
    await expect_through_kills(user, reply, killing)


async def expect_through_kills(user: TestUser, reply: str, killing: asyncio.Task[int]) -> None:
    """The reply, however many restarts it waits through; WAIT once the kills have stopped.

    A restart takes seconds, more on a loaded machine, and a process may be killed again
    before it handles what it was owed; so while kills go on, a reply owed is waited for
    again. Once they stop, it must come within WAIT: nothing acknowledged is ever lost.
    """
    since = user.chat.last_action
    while True:
        killed_meanwhile = not killing.done()
        try:
            await user.wait_for(contains_text(reply), timeout=WAIT, since=since,
                                what=f"a bot message containing {reply!r}")
            return
        except AssertionError:
            if not killed_meanwhile:
                raise


async def killer(bot: BotProcess, rng: random.Random, done: asyncio.Event) -> int:
    """SIGKILL and restart at random moments until KILLS are done or the script ended."""
    kills = 0
    while kills < KILLS and not done.is_set():
        await asyncio.sleep(rng.uniform(0.05, 1.5))
        await bot.kill()
        kills += 1
        await asyncio.sleep(rng.uniform(0.0, 0.5))  # down for a moment: Ana goes on typing
        await bot.start()
    return kills


async def test_twenty_kills_lose_nothing_the_bot_acknowledged(
        emulator: Emulator, bot_process: BotProcess) -> None:
    rng = random.Random(SEED)
    await bot_process.start()
    ana = emulator.user("Ana")
    done = asyncio.Event()
    killing = asyncio.create_task(killer(bot_process, rng, done))
    try:
        for kind, what, reply in STEPS:
            await act(ana, kind, what, reply, killing)
            await asyncio.sleep(rng.uniform(0.0, 0.3))
        # A fast bot ends the script before the last kills: Ana goes on reading her list
        # (which changes nothing) until every kill has landed while she uses the bot.
        while not killing.done():
            await act(ana, "send", "/questions", "stretches at work", killing)
            await asyncio.sleep(rng.uniform(0.0, 0.3))
    finally:
        done.set()
        kills = await killing
    assert kills == KILLS, f"the script ended after {kills} kills; make it longer"
    assert any((d.filename or "").endswith(".pdf") for d in ana.documents)
    await bot_process.terminate()

    engine = bot_process.engine()
    try:
        async with engine.connect() as connection:
            person = (await connection.execute(
                select(PersonRow).where(PersonRow.telegram_user_id == ana.user_id))).one()
            sessions = (await connection.execute(
                select(SessionRow).where(SessionRow.person_id == person.id))).all()
            ratings = (await connection.execute(
                select(PainRatingRow.moment, PainRatingRow.rating)
                .where(PainRatingRow.person_id == person.id)
                .order_by(PainRatingRow.at))).all()
            questions = (await connection.execute(
                select(QuestionRow.text).where(QuestionRow.person_id == person.id))).all()
            reminders = (await connection.execute(
                select(ReminderRow.kind, ReminderRow.status)
                .where(ReminderRow.person_id == person.id))).all()
    finally:
        await engine.dispose()
    assert person.onboarded_at is not None and person.country_code == "PT"
    assert [(s.status, s.end_reason) for s in sessions] == [("finished", "completed")]
    # Each answer exactly once: redelivered updates were not applied twice.
    assert [tuple(r) for r in ratings] == [("before", 3), ("after", 2), ("checkin", 4),
                                          ("checkin", 2)]
    assert sorted(q.text for q in questions) == [
        "Can I do the stretches at work?", "Is it fine to skip the bird dog on bad days?"]
    statuses = Counter(status for kind, status in reminders if kind == "session")
    assert statuses["sent"] == 1 and statuses["pending"] == 1  # today's went, tomorrow's waits
    received = sum("Time for your exercises" in t for t in ana.bot_texts)
    assert 1 <= received <= 2  # a kill mid-send may repeat the one in flight, never lose it
