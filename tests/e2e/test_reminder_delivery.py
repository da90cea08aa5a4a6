"""Reminder delivery under stress: two processes, a crash mid-send, flood limits, a blocker.

People get a daily reminder at 09:00 Lisbon time (UTC in January): one of each crowd
through the real bot (/start, then /reminders as a person would), the rest as copies of
that person written through the storage layer, which is much quicker. The clock is a ManualClock
shared by the bots and the emulator's message dates, starting Monday 2026-01-05 08:00 UTC;
reminders are sent by moving it and calling the scheduler's tick, never by sleeping.

A "tick-only" bot is a fully initialised Application (its own Deps, connection pool, PTB
Bot and SendLimiter) that neither polls nor runs its job queue: the test calls its tick.
Two of them on one database are what two `backcoach run` processes would be, minus the
long polling (which Telegram allows to one process at a time anyway).
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from datetime import time as dtime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.app.clock import ManualClock
from bot.app.wiring import Deps, build_deps
from bot.config.settings import Settings
from bot.domain.model import Reminder
from bot.domain.reminders.plan import reschedule
from bot.emulator import Emulator, FloodLimits, TestUser
from bot.emulator.flood import FloodControl
from bot.services.ports import ClaimedReminder
from bot.services.reminders import STALE_CLAIM, reminder_delivered, reminder_tick, still_ours
from bot.telegram.app import build_application
from bot.telegram.limiter import SendLimiter
from bot.telegram.outbound import deliver
from bot.telegram.runtime import runtime_of
from storage.models import PersonRow, ReminderRow
from storage.reminder_queue import SqlReminderQueue
from tests.e2e.conftest import FAST, TOKEN, TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import set_daily_reminder

REMINDER = "Time for your exercises"  # reminders.session_due; the nudge says something else
NINE = datetime.fromisoformat("2026-01-05T09:00:00+00:00")

Row = tuple[str, str, str]  # kind, status, fire_at as "05 09:00"


# fixtures ---------------------------------------------------------------------------------


@asynccontextmanager
async def timed_world(url: str, *, emulator_clock: Callable[[], float] | None = None
                      ) -> AsyncIterator[TimedWorld]:
    """A TimedWorld on any database; emulator_clock times flood control and request records
    (default: the manual clock, as in conftest's `timed`)."""
    clock = ManualClock()
    manual = lambda: clock.now().timestamp()  # noqa: E731
    emu = Emulator(clock=emulator_clock or manual, wall_clock=manual, limits=None)
    await emu.start()
    try:
        yield TimedWorld(clock, emu, url)
    finally:
        await emu.stop()


@asynccontextmanager
async def tick_only_bot(world: TimedWorld, **settings: Any) -> AsyncIterator[TickOnly]:
    """A bot process that only runs the scheduler's tick (no polling, no job queue)."""
    deps = build_deps(Settings(database_url=world.database_url, **{**FAST, **settings}),
                      clock=world.clock)
    application = build_application(deps, TOKEN, world.emulator.base_url)
    try:
        async with application:  # initialize/shutdown: getMe, HTTP pool, limiter
            yield TickOnly(deps, application)
    finally:
        await deps.close()


class TickOnly:
    """What a test needs of a tick-only bot."""

    def __init__(self, deps: Deps, application: Application) -> None:  # type: ignore[type-arg]
        self.deps = deps
        self.application = application

    async def tick(self) -> None:
        await runtime_of(self.application).ticker.tick(self.application.bot)

    @property
    def limiter(self) -> SendLimiter:
        limiter = self.application.bot.rate_limiter
        assert isinstance(limiter, SendLimiter), limiter
        return limiter


# helpers ----------------------------------------------------------------------------------


async def crowd(world: TimedWorld, names: list[str], when: str = "09:00") -> list[TestUser]:
    """People with a daily reminder at `when` (needs a running bot). The first goes through
    the bot; the others are copies of them written through the storage layer (same
    settings, same pending rows), one after the other: reminder ids (the claim's order
    within a minute) follow the order of `names`."""
    first, *others = names
    model = world.emulator.user(first)
    await onboard(model)
    await set_daily_reminder(model, when)
    await world.settle()
    assert world.deps is not None
    async with world.deps.unit_of_work() as uow:
        template = await uow.people.get(model.user_id)
    assert template is not None and template.reminders
    users = [model]
    for name in others:
        user = world.emulator.user(name)
        person = copy.deepcopy(template)
        person.id = None
        person.telegram_user_id = person.chat_id = user.user_id
        person.reminders = [Reminder(r.kind, r.fire_at) for r in template.reminders]
        async with world.deps.unit_of_work() as uow:
            await uow.people.add(person)
            await uow.commit()
        users.append(user)
    return users


async def reminder_rows(engine: AsyncEngine) -> dict[int, list[Row]]:
    """Every reminder row, by the Telegram user id of its person, in id order."""
    query = (select(PersonRow.telegram_user_id, ReminderRow.kind, ReminderRow.status,
                    ReminderRow.fire_at)
             .join(PersonRow, PersonRow.id == ReminderRow.person_id)
             .order_by(ReminderRow.id))
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    found: dict[int, list[Row]] = {}
    for user_id, kind, status, fire_at in rows:
        found.setdefault(user_id, []).append((kind, status, fire_at.strftime("%d %H:%M")))
    return found


async def statuses(engine: AsyncEngine) -> Counter[str]:
    """How many reminder rows have each status."""
    async with engine.connect() as connection:
        return Counter((await connection.execute(select(ReminderRow.status))).scalars())


def reminders_received(user: TestUser) -> int:
    """How many reminder messages (new messages, not edits) reached this person."""
    return sum(1 for e in user.chat.transcript
               if e.who == "bot" and e.kind == "text" and REMINDER in e.text)


def assert_delivered_once(users: Iterable[TestUser]) -> None:
    counts = {user.name: reminders_received(user) for user in users}
    assert counts == dict.fromkeys(counts, 1), counts


def assert_after_nine(rows: dict[int, list[Row]], users: Iterable[TestUser],
                      sent_at: str = "05 09:00") -> None:
    """Today's reminder sent once, and tomorrow's (and today's nudge) planned once each."""
    for user in users:
        mine = rows[user.user_id]
        assert mine.count(("session", "sent", sent_at)) == 1, (user.name, mine)
        pending = Counter(kind for kind, status, _ in mine if status == "pending")
        assert pending == {"session": 1, "session_nudge": 1}, (user.name, mine)
        assert ("session", "pending", "06" + sent_at[2:]) in mine, (user.name, mine)
        assert not [r for r in mine if r[1] == "claimed"], (user.name, mine)


# 1. two processes, one PostgreSQL database ------------------------------------------------

CROWD = 30


async def senders(engine: AsyncEngine, bots: dict[str, TickOnly]) -> Counter[str]:
    """Per bot, how many reminders it claimed and sent (each ticker claims under its name)."""
    names = {runtime_of(b.application).ticker.worker: name for name, b in bots.items()}
    query = select(ReminderRow.claimed_by).where(ReminderRow.status == "sent")
    async with engine.connect() as connection:
        workers = (await connection.execute(query)).scalars()
        return Counter(names[w] for w in workers if w in names)


@pytest.mark.postgres
async def test_two_processes_racing_the_same_tick_send_each_reminder_once(
        postgres_url: str) -> None:
    """Both ticks as the job queues would run them. Their claims seldom overlap in time
    (one usually takes the whole minute), so the next test forces the overlap."""
    async with timed_world(postgres_url) as world:
        async with world.bot():
            people = await crowd(world, [f"P{i:02d}" for i in range(CROWD)])
        world.clock.advance(hours=1)  # 09:00: all 30 are due
        async with tick_only_bot(world) as one, tick_only_bot(world) as two:
            await asyncio.gather(one.tick(), two.tick())
            await asyncio.gather(one.tick(), two.tick())  # nothing left for either
            rows = await reminder_rows(one.deps.engine)
            sent = await senders(one.deps.engine, {"one": one, "two": two})
        assert_delivered_once(people)
        assert sum(sent.values()) == CROWD
        assert_after_nine(rows, people)
        sends = [r for r in world.emulator.requests if r.method == "sendMessage"
                 and r.time == NINE.timestamp()]
        assert len(sends) == CROWD and all(r.status == 200 for r in sends)


@pytest.mark.postgres
async def test_two_processes_claiming_in_small_batches_split_the_work(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both claims run at the same moment, every round, 4 rows at a time: SKIP LOCKED
    must hand each its own rows, and both must end up sending some."""
    batch = 4
    claim_due = SqlReminderQueue.claim_due
    barrier = asyncio.Barrier(2)

    async def claim_together(self: SqlReminderQueue, now: datetime, worker: str,
                             limit: int = 500) -> list[ClaimedReminder]:
        await asyncio.wait_for(barrier.wait(), 10)  # both transactions are open here
        return await claim_due(self, now, worker, limit=min(limit, batch))

    async with timed_world(postgres_url) as world:
        async with world.bot():
            people = await crowd(world, [f"Q{i:02d}" for i in range(CROWD)])
        world.clock.advance(hours=1)
        async with tick_only_bot(world) as one, tick_only_bot(world) as two:
            monkeypatch.setattr(SqlReminderQueue, "claim_due", claim_together)
            bots = {"one": one, "two": two}
            for _ in range(CROWD):  # at most; each round moves up to 2 * batch reminders
                await asyncio.gather(one.tick(), two.tick())
                if sum((await senders(one.deps.engine, bots)).values()) == CROWD:
                    break
            await asyncio.gather(one.tick(), two.tick())
            rows = await reminder_rows(one.deps.engine)
            sent = await senders(one.deps.engine, bots)
        assert_delivered_once(people)
        assert sum(sent.values()) == CROWD
        assert sent["one"] >= batch and sent["two"] >= batch, sent
        assert_after_nine(rows, people)


# 2. a restart in the middle of sending ----------------------------------------------------


async def test_a_process_killed_mid_send_loses_nothing_and_repeats_only_the_one_in_flight(
        any_database_url: str) -> None:
    async with timed_world(any_database_url) as world:
        async with world.bot():
            flying = await crowd(world, [f"F{i}" for i in range(6)], "09:00")
            later = await crowd(world, [f"L{i}" for i in range(3)], "10:30")
        world.clock.advance(hours=1)  # 09:00
        async with tick_only_bot(world) as doomed:
            # The doomed process claims the six, sends and records two, sends a third and
            # dies before recording it: the real steps of a tick, stopped where a kill would.
            deps, now = doomed.deps, world.clock.now()
            claim = await reminder_tick(deps.unit_of_work, deps.content.catalog, now, "doomed")
            items = claim.deliveries
            for n, item in enumerate(items[:3]):
                texts = deps.content.locales.texts(item.outcome.language)
                await deliver(doomed.application.bot, item.chat_id, item.outcome, texts)
                if n < 2:
                    await reminder_delivered(deps.unit_of_work, item, now, blocked=False)
            rows = await reminder_rows(doomed.deps.engine)
        # Before the crash: two sent and recorded, one sent but still "claimed" (in flight),
        # three claimed and never sent; today's pending rows of the 10:30 people untouched.
        today = {u.name: rows[u.user_id][0][1] for u in flying}
        recorded = [u for u in flying if today[u.name] == "sent"]
        claimed = [u for u in flying if today[u.name] == "claimed"]
        in_flight = [u for u in claimed if reminders_received(u) == 1]
        unsent = [u for u in claimed if reminders_received(u) == 0]
        assert (len(recorded), len(in_flight), len(unsent)) == (2, 1, 3), today
        assert [reminders_received(u) for u in recorded] == [1, 1]

        def received() -> dict[str, int]:
            return {u.name: reminders_received(u) for u in flying + later}

        async with world.bot():  # the restarted process
            assert world.deps is not None
            await world.tick()
            await world.advance(60)  # 09:01: the claims are fresh, so nobody sends them yet
            assert received() == {**{u.name: 1 for u in recorded + in_flight},
                                  **{u.name: 0 for u in unsent + later}}
            assert (await statuses(world.deps.engine))["claimed"] == 4
            await world.advance(STALE_CLAIM.total_seconds())  # 09:06: the claims are stale
            assert received() == {**{u.name: 1 for u in recorded + unsent},
                                  **{u.name: 2 for u in in_flight},  # sent at the crash
                                  **{u.name: 0 for u in later}}
            rows = await reminder_rows(world.deps.engine)
            assert_after_nine(rows, recorded + in_flight + unsent)
            for user in later:  # not in flight: untouched, and sent on time
                assert rows[user.user_id] == [("session", "pending", "05 10:30")]
            await world.advance(84 * 60)  # 10:30
            assert received() == {**{u.name: 1 for u in recorded + unsent + later},
                                  **{u.name: 2 for u in in_flight}}
            assert_after_nine(await reminder_rows(world.deps.engine), later, "05 10:30")
            assert (await statuses(world.deps.engine))["claimed"] == 0


# 3. flood limits: 429 and retry_after -----------------------------------------------------


def tighten(emulator: Emulator, limits: FloodLimits) -> None:
    """From now on the emulator answers 429 beyond these limits (in real seconds, as the
    bot's limiter sleeps in real seconds); enrolment before this ran unlimited."""
    emulator.world.flood = FloodControl(limits, time.monotonic)


def with_check_in_at_nine(engine_deps: Deps) -> Callable[[TestUser], Awaitable[None]]:
    """Give a person a daily check-in at 09:00 too: two messages to one chat at once."""

    async def add(user: TestUser) -> None:
        async with engine_deps.unit_of_work() as uow:
            person = await uow.people.get(user.user_id)
            assert person is not None
            person.reminder_settings = dataclasses.replace(person.reminder_settings,
                                                           checkin_time=dtime(9, 0))
            reschedule(person, engine_deps.clock.now())
            await uow.people.save(person)
            await uow.commit()

    return add


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_bot_honours_retry_after_and_delivers_everything_once(
        database_url: str) -> None:
    count = 12
    async with timed_world(database_url, emulator_clock=time.monotonic) as world:
        emulator = world.emulator
        async with world.bot():
            people = await crowd(world, [f"R{i:02d}" for i in range(count)])
            assert world.deps is not None
            await with_check_in_at_nine(world.deps)(people[0])
        tighten(emulator, FloodLimits(per_chat_rate=1, per_chat_burst=1,
                                      global_rate=5, global_burst=5))
        world.clock.advance(hours=1)
        first_request = len(emulator.requests)
        async with tick_only_bot(world) as bot:  # its limiter allows 50/s per chat, 500/s
            started = time.monotonic()
            await bot.tick()
            took = time.monotonic() - started
            rows = await reminder_rows(bot.deps.engine)
            retried = bot.limiter.retries_after_429
        assert_delivered_once(people)
        assert sum("How is your back today?" in t for t in people[0].bot_texts) == 1
        assert_after_nine(rows, people[1:])
        assert ("checkin", "sent", "05 09:00") in rows[people[0].user_id]
        assert not [r for mine in rows.values() for r in mine if r[1] == "claimed"]
        # 13 messages against 5 at once then 5/s overall, and two in one chat: at least a
        # global 429 and a per-chat one. Every 429 was retried (the limiter never gave up).
        assert emulator.rejected_429 >= 2
        assert retried == emulator.rejected_429
        sends = [r for r in emulator.requests[first_request:] if r.method == "sendMessage"]
        assert sum(r.status == 200 for r in sends) == count + 1
        for number, refused in enumerate(sends):
            if refused.status != 429:
                continue
            again = next(r for r in sends[number + 1:] if r.chat_id == refused.chat_id)
            assert again.time - refused.time >= 0.95, "retry_after (1 s) was not honoured"
        assert took < 10, took


async def test_a_limiter_set_to_the_servers_limits_meets_no_429(database_url: str) -> None:
    count = 12
    async with timed_world(database_url, emulator_clock=time.monotonic) as world:
        emulator = world.emulator
        async with world.bot():
            people = await crowd(world, [f"S{i:02d}" for i in range(count)])
            assert world.deps is not None
            await with_check_in_at_nine(world.deps)(people[0])
        # The server allows 1/s per chat with 3 at once, and 5/s with 5 at once overall; the
        # bot is set a little under the 5/s, as an operator would, and spreads its sends
        # evenly (a burst of one), so network jitter cannot push it over.
        tighten(emulator, FloodLimits(per_chat_rate=1, per_chat_burst=3,
                                      global_rate=5, global_burst=5))
        world.clock.advance(hours=1)
        async with tick_only_bot(world, rate_limit_per_chat=1.0,
                                 rate_limit_global=4.5) as bot:
            started = time.monotonic()
            await bot.tick()
            took = time.monotonic() - started
            rows = await reminder_rows(bot.deps.engine)
            limiter = bot.limiter
        assert_delivered_once(people)
        assert_after_nine(rows, people[1:])
        assert emulator.rejected_429 == 0 and limiter.retries_after_429 == 0
        # It paced itself: 13 messages one at a time at 4.5/s take 12 / 4.5 = 2.67 s at least.
        assert limiter.waited_seconds > 0
        assert 2.6 < took < 10, took


# 4. one blocked person does not hold up the others ----------------------------------------


async def test_one_person_blocking_the_bot_does_not_stop_the_others(database_url: str) -> None:
    async with timed_world(database_url) as world, world.bot():
        people = await crowd(world, [f"B{i}" for i in range(5)])
        blocker = people[2]  # claimed third of five (same minute: by id)
        await blocker.block()
        await world.advance(3600)  # 09:00, one tick
        others = [u for u in people if u is not blocker]
        assert_delivered_once(others)
        assert reminders_received(blocker) == 0
        sends = [r for r in world.emulator.requests if r.method == "sendMessage"
                 and r.time == NINE.timestamp()]
        # Sends run side by side, so their order is not fixed; each chat's answer is.
        assert {r.chat_id: r.status for r in sends} == {
            u.user_id: 403 if u is blocker else 200 for u in people}
        assert len(sends) == len(people)
        assert world.deps is not None
        rows = await reminder_rows(world.deps.engine)
        assert_after_nine(rows, others)
        assert ("session", "missed", "05 09:00") in rows[blocker.user_id]
        async with world.deps.unit_of_work() as uow:
            person = await uow.people.get(blocker.user_id)
        assert person is not None and person.inactive


# 5. a process that is slow but alive ------------------------------------------------------


async def test_a_slow_process_that_lost_its_claims_does_not_send_them_again(
        database_url: str) -> None:
    """Process A claims at 09:00 and stalls; at 09:06 process B takes the stale claims and
    sends them; when A wakes up, it checks each claim before sending and skips them all."""
    async with timed_world(database_url) as world:
        async with world.bot():
            people = await crowd(world, [f"S{i}" for i in range(5)])
        world.clock.advance(hours=1)  # 09:00
        async with tick_only_bot(world) as slow, tick_only_bot(world) as quick:
            catalog = slow.deps.content.catalog
            claim = await reminder_tick(slow.deps.unit_of_work, catalog,
                                        world.clock.now(), "slow-process")
            claimed = claim.deliveries
            assert claim.claimed == len(claimed) == 5
            world.clock.advance(minutes=6)
            await quick.tick()
            assert [reminders_received(u) for u in people] == [1] * 5
            for item in claimed:  # A wakes up, too late
                assert not await still_ours(slow.deps.unit_of_work, item, "slow-process",
                                            world.clock.now())
        assert [reminders_received(u) for u in people] == [1] * 5


# 6. a clean shutdown in the middle of a wave ----------------------------------------------


async def test_stopping_mid_wave_hands_the_unsent_claims_back_at_once(
        database_url: str) -> None:
    count = 12
    async with timed_world(database_url, emulator_clock=time.monotonic) as world:
        async with world.bot():
            people = await crowd(world, [f"W{i:02d}" for i in range(count)])
        world.clock.advance(hours=1)  # 09:00
        # Two messages a second: the wave is still going when the process is told to stop.
        async with tick_only_bot(world, rate_limit_global=2.0) as leaving:
            dispatcher = runtime_of(leaving.application).ticker.reminders
            wave = asyncio.create_task(dispatcher.dispatch(leaving.application.bot))
            # Across several chats, so no one chat's wait applies: a short poll.
            while sum(reminders_received(u) for u in people) < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            stopped_at = time.monotonic()
            await dispatcher.wind_down(grace=0.2)
            await asyncio.wait_for(wave, 5)
            assert time.monotonic() - stopped_at < 1.5  # not the ten seconds the wave needs
            released = await dispatcher.release()
            rows = await reminder_rows(leaving.deps.engine)
        sent_before = [u for u in people if reminders_received(u) == 1]
        assert 2 <= len(sent_before) < count
        today = Counter(rows[u.user_id][0][1] for u in people)
        assert today == {"sent": len(sent_before), "pending": count - len(sent_before)}
        # What was claimed and not sent went back: the first chunk, or both if the claimer
        # had already taken the second (the queue holds one chunk ahead).
        assert released + len(sent_before) in (dispatcher.chunk, count)
        # Another process sends the rest at its next tick, with no five-minute wait. Only a
        # send cancelled after it reached the server (none, at this pace) could repeat.
        async with tick_only_bot(world) as staying:
            await staying.tick()
            rows = await reminder_rows(staying.deps.engine)
        assert_delivered_once(people)
        assert_after_nine(rows, people)
