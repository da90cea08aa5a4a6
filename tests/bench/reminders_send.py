"""The reminder benchmark's sending runs: the real ReminderDispatcher sending due reminders
through the real Application's Bot (with our SendLimiter) to a fresh emulator, for a bounded
time. The dispatcher and the Bot run in a process of their own (tests/bench/reminders_sender.py),
as the bot does, and the emulator in the benchmark's: they do not share a core's time. The
sending process reports its timings and CPU as JSON; the messages are counted at the emulator.

The dispatcher is driven as the job queue would, one dispatch() after another with the bot's
clock just into the due minute, until nothing is due or the time is up (then the wave in
progress is cancelled, as a process stopping would). Where the time goes is measured by
wrapping the functions the dispatcher module calls, for the run only; whichever of them it
no longer uses are simply not reported. Claiming and sending overlap, so their times add up
to more than the run's.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from telegram import Bot

import bot.telegram.dispatcher as dispatcher_module
from bot.app.wiring import Deps
from bot.emulator import Emulator, FloodLimits
from bot.telegram.app import build_application
from bot.telegram.dispatcher import ReminderDispatcher
from bot.telegram.limiter import SendLimiter
from bot.telegram.runtime import runtime_of
from bot.telegram.ticker import HoldTicker
from tests.bench.common import captured_logs, ratio
from tests.bench.reminders_people import register_chats, reset_due, status_counts

TOKEN = "987654321:BENCH-token-for-the-emulator-abcdefghij"
TICK = "reminder_tick"
# What ReminderDispatcher calls through its module's globals, timed when present.
TIMED = (TICK, "still_ours", "deliver", "reminder_delivered")
# A run stops before the next of these once its time is up, leaving what the last tick
# claimed and did not send claimed, as a process stopping there would.
STOPS_AT = frozenset({TICK, "deliver"})
GRACE_SECONDS = 300  # a run that has not stopped this long after its time has hung
START_SECONDS = 60  # the sending process's imports and start


@dataclass
class Timings:
    """Seconds spent in, and calls of, each timed function; what the ticks claimed."""

    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: Counter[str] = field(default_factory=Counter)
    claimed: int = 0
    drained: bool = False  # a tick claimed nothing: everything due was sent
    deadline: float = math.inf  # time.perf_counter() after which no tick or send starts


class TimeUp(Exception):
    """Raised instead of starting a tick or a send once the run's time is up."""


def _timed(name: str, function: Callable[..., Awaitable[Any]],
           timings: Timings) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        if name in STOPS_AT and began >= timings.deadline:
            raise TimeUp
        try:
            result = await function(*args, **kwargs)
        finally:
            timings.seconds[name] += time.perf_counter() - began
            timings.calls[name] += 1
        if name == TICK:
            timings.claimed += result.claimed
            timings.drained = timings.drained or not result.claimed
        return result

    return wrapper


@contextlib.contextmanager
def timed_calls(module: ModuleType, names: Sequence[str], timings: Timings) -> Iterator[None]:
    """Wrap module-level coroutine functions with timers until the block ends."""
    originals = {name: getattr(module, name) for name in names if hasattr(module, name)}
    for name, function in originals.items():
        setattr(module, name, _timed(name, function, timings))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


async def drive(dispatcher: ReminderDispatcher, bot: Bot, seconds: float,
                timings: Timings) -> float:
    """dispatch() again and again until drained or `seconds` are up; the elapsed time.

    Once time is up no claim or send starts; the wave stops there (sends in flight are
    cancelled), leaving what was claimed and not sent claimed, as a process stopping would.
    """

    async def waves() -> None:
        while not timings.drained:
            await dispatcher.dispatch(bot)

    started = time.perf_counter()
    timings.deadline = started + seconds
    try:
        await asyncio.wait_for(waves(), seconds + GRACE_SECONDS)
    except* TimeUp:
        pass
    return time.perf_counter() - started


@dataclass
class SendRun:
    """Reminders sent through the real path for a bounded time."""

    label: str
    limiter: str
    emulator_limits: str
    seconds_asked: float
    elapsed_seconds: float
    drained: bool  # a tick found nothing left: everything due was sent in time
    messages: int  # sendMessage answered 200 by the emulator
    per_second: float  # messages / elapsed (claims included)
    paced_per_second: float  # once the global limit paced sends (NaN without limits)
    http_429: int
    limiter_retries: int
    limiter_waited_seconds: float
    claimed: int  # by the ticks
    statuses: dict[str, int]  # the due reminders by status in the database after the run
    calls: dict[str, int]
    seconds_in: dict[str, float]
    api_errors: dict[str, int]
    log_warnings: int
    log_kinds: dict[str, int]
    log_samples: list[str]
    sender_cpu_seconds: float = math.nan  # the sending process's CPU during the run

    @property
    def sent(self) -> int:
        """Recorded as sent in the database."""
        return self.statuses.get("sent", 0)

    @property
    def claimed_unsent(self) -> int:
        """Claimed by a tick and not (yet) sent when time was up."""
        return self.statuses.get("claimed", 0)

    @property
    def ms_each(self) -> dict[str, float]:
        """ms per call of each timed function; reminder_tick per reminder it claimed."""
        each = {}
        for name, seconds in self.seconds_in.items():
            count = self.claimed if name == TICK else self.calls.get(name, 0)
            each[name] = seconds / count * 1000 if count else math.nan
        return each


def paced_rate(times: Sequence[float], limits: FloodLimits | None) -> float:
    """Messages per second while the global limit paced them, NaN when it never did.

    The sends fall into stretches split by pauses long enough to refill the emulator's
    global bucket (a tick claiming and applying a batch, a 429's retry_after), so each
    stretch starts with a full bucket. Within one, without its cap the bucket would hold
    burst + rate x (t - start) - (messages so far) tokens, an upper bound on what it holds;
    pacing starts at the first message where that bound is under 1.5, and from there to the
    stretch's last message the limit allows one message per interval, give or take half.
    The rate is all the paced messages over all the paced time.
    """
    if limits is None:
        return math.nan
    refill = limits.global_burst / limits.global_rate
    breaks = [i for i in range(1, len(times)) if times[i] - times[i - 1] >= refill]
    paced = 0
    span = 0.0
    for first, end in zip([0, *breaks], [*breaks, len(times)], strict=True):
        start = next((i for i in range(first, end) if limits.global_burst + limits.global_rate
                      * (times[i] - times[first]) - (i - first) < 1.5), None)
        if start is not None and start < end - 1:
            paced += end - 1 - start
            span += times[end - 1] - times[start]
    return paced / span if span > 0 else math.nan


def describe_limits(limits: FloodLimits | None) -> str:
    """'30/s (burst 30) in all, 1/s (burst 3) per chat', or 'off'."""
    if limits is None:
        return "off"
    return (f"{limits.global_rate:g}/s (burst {limits.global_burst}) in all, "
            f"{limits.per_chat_rate:g}/s (burst {limits.per_chat_burst}) per chat")


@dataclass
class ChildFigures:
    """What the sending process measured of itself, handed back as JSON on its stdout."""

    elapsed_seconds: float
    drained: bool
    claimed: int
    calls: dict[str, int]
    seconds_in: dict[str, float]
    limiter_retries: int
    limiter_waited_seconds: float
    log_warnings: int
    log_kinds: dict[str, int]
    log_samples: list[str]
    cpu_seconds: float


async def send_in_this_process(deps: Deps, base_url: str, seconds: float) -> ChildFigures:
    """The sending process's side: the Application's Bot and ticker against the emulator at
    `base_url`, dispatch() after dispatch() for `seconds`, timed."""
    timings = Timings()
    application = build_application(deps, TOKEN, base_url)
    ticker = runtime_of(application).ticker
    assert isinstance(ticker, HoldTicker)
    dispatcher = ticker.reminders
    cpu_before = time.process_time()
    async with application:
        gc.collect()
        with captured_logs() as logs, timed_calls(dispatcher_module, TIMED, timings):
            elapsed = await drive(dispatcher, application.bot, seconds, timings)
        limiter = application.bot.rate_limiter
        assert isinstance(limiter, SendLimiter)
    return ChildFigures(
        elapsed_seconds=elapsed, drained=timings.drained, claimed=timings.claimed,
        calls=dict(timings.calls), seconds_in=dict(timings.seconds),
        limiter_retries=limiter.retries_after_429, limiter_waited_seconds=limiter.waited_seconds,
        log_warnings=logs.count, log_kinds=dict(logs.kinds.most_common(8)),
        log_samples=list(logs.samples.values()), cpu_seconds=time.process_time() - cpu_before)


async def run_sender(database_url: str, base_url: str, now: datetime, seconds: float,
                     per_chat: float, global_rate: float) -> ChildFigures:
    """Start the sending process (tests.bench.reminders_sender) and wait for its figures."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.bench.reminders_sender", "--database-url", database_url,
        "--base-url", base_url, "--now", now.isoformat(), "--seconds", f"{seconds!r}",
        "--per-chat", f"{per_chat!r}", "--global-rate", f"{global_rate!r}",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(),
                                          seconds + GRACE_SECONDS + START_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"the sending process failed ({process.returncode}):\n"
                           f"{err.decode(errors='replace')[-3000:]}")
    return ChildFigures(**json.loads(out.decode().strip().splitlines()[-1]))


async def send_run(label: str, deps: Deps, people: int, due: datetime, now: datetime,
                   seconds: float, per_chat: float, global_rate: float,
                   limits: FloodLimits | None) -> SendRun:
    """Every due reminder pending again, a fresh emulator here, and the Application's Bot and
    ticker in a process of their own (as the bot runs), sending for `seconds`."""
    await reset_due(deps.engine, due)
    async with Emulator(limits=limits) as emulator:
        await register_chats(emulator, people)
        first = len(emulator.world.requests)
        child = await run_sender(deps.settings.database_url, emulator.base_url, now, seconds,
                                 per_chat, global_rate)
        requests = emulator.world.requests[first:]
        rejected = emulator.rejected_429
    statuses = await status_counts(deps.engine, due)
    sends = [r for r in requests if r.method.lower() == "sendmessage"]
    times = sorted(r.time for r in sends if r.status == 200)
    return SendRun(
        label=label, limiter=f"{global_rate:g}/s in all, {per_chat:g}/s per chat",
        emulator_limits=describe_limits(limits), seconds_asked=seconds,
        elapsed_seconds=child.elapsed_seconds, drained=child.drained, messages=len(times),
        per_second=ratio(len(times), child.elapsed_seconds),
        paced_per_second=paced_rate(times, limits), http_429=rejected,
        limiter_retries=child.limiter_retries,
        limiter_waited_seconds=child.limiter_waited_seconds, claimed=child.claimed,
        statuses=statuses, calls=child.calls, seconds_in=child.seconds_in,
        api_errors=dict(Counter(f"{r.method} {r.status}" for r in requests
                                if r.status != 200).most_common()),
        log_warnings=child.log_warnings, log_kinds=child.log_kinds,
        log_samples=child.log_samples, sender_cpu_seconds=child.cpu_seconds)
