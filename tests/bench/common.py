"""Shared benchmark machinery: scripted people, per-update latency, statistics.

A person's latency for one update runs from just before the driver puts the update into
the emulator (`send`/`press`) to the moment an event-driven wait sees the bot's first
message or edit in that chat (callback answers, the spinner, do not count).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

from bot.emulator import Emulator, TestUser, TranscriptEntry
from bot.emulator.chatview import MESSAGE_KINDS, contains_text

Waits = Literal["watcher", "driver"]
FirstResponse = Callable[[TestUser, str, float], Awaitable[TranscriptEntry]]
SAMPLES_KEPT = 5
KINDS_KEPT = 8


@dataclass(frozen=True)
class Step:
    """One update a person produces, and text the bot's reply to it must contain."""

    kind: Literal["send", "press"]
    arg: str
    expect: str | None = None


Script = Sequence[Step]


@dataclass
class PersonOutcome:
    """Latencies (seconds) of the updates that got a response, and why the person stopped."""

    latencies: list[float] = field(default_factory=list)
    error: str | None = None
    failed_step: int | None = None


@dataclass
class RunResult:
    """One bot under one crowd of people."""

    bot: str
    people: int
    updates: int
    failed_people: int
    wall_seconds: float
    updates_per_second: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    api_calls: dict[str, int]
    api_errors: dict[str, int]
    failures_by_step: dict[str, int]
    errors: list[str]
    log_warnings: int
    log_kinds: dict[str, int]
    log_samples: list[str]
    limiter_waited_seconds: float | None = None
    cpu_seconds: float | None = None  # the bot's process, when it runs as one


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when the denominator is zero."""
    return numerator / denominator if denominator else math.nan


class InBackground:
    """Runs self._run() as a task for the length of an `async with` block."""

    task_name = "bench-background"

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        self._task = asyncio.create_task(self._run(), name=self.task_name)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        raise NotImplementedError


class ResponseWatcher(InBackground):
    """Resolves each waiting person's future at the bot's first message or edit in their chat.

    Event-driven like ChatView.wait_for, on the same emulator Signal, but one coroutine
    does the watching: wait_for wakes every waiting person on every transcript entry in
    any chat and re-arms an asyncio.wait_for each time, which is quadratic in the crowd
    (with the echo bot it cost about a quarter of the throughput at 200 people and two
    fifths at 500). Here a wake-up only compares transcript lengths.
    """

    def __init__(self, emulator: Emulator) -> None:
        self._world = emulator.world
        self._waiting: dict[int, tuple[int, asyncio.Future[TranscriptEntry]]] = {}
        super().__init__()

    async def first_response(self, user: TestUser, what: str,
                             timeout: float) -> TranscriptEntry:  # noqa: ASYNC109
        """The bot's first message or edit in user's chat since their last action."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[user.chat_id] = (user.chat.last_action, future)
        self._check()  # it may be there already
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} "
                                 f"in {user.name}'s chat") from None
        finally:
            self._waiting.pop(user.chat_id, None)

    async def _run(self) -> None:
        while True:
            self._check()
            await self._world.signal.wait(None)

    def _check(self) -> None:
        for chat_id, (seen, future) in list(self._waiting.items()):
            transcript = self._world.chats[chat_id].transcript
            if future.done() or seen >= len(transcript):
                continue
            for entry in transcript[seen:]:
                if entry.who == "bot" and entry.kind in MESSAGE_KINDS:
                    future.set_result(entry)
                    break
            else:
                self._waiting[chat_id] = (len(transcript), future)


async def driver_first_response(user: TestUser, what: str,
                                timeout: float) -> TranscriptEntry:  # noqa: ASYNC109
    """The same as ResponseWatcher.first_response, with the driver's own wait_for."""
    return await user.wait_for(contains_text(None), timeout, what=what)


async def timed_step(user: TestUser, step: Step, first_response: FirstResponse,
                     timeout: float) -> float:  # noqa: ASYNC109
    """Produce the step's update; seconds until the bot's first message or edit answers it."""
    started = time.perf_counter()
    if step.kind == "send":
        await user.send(step.arg)
    else:
        await user.press(step.arg)
    first = await first_response(user, f"a response to {step.kind} {step.arg!r}", timeout)
    latency = time.perf_counter() - started
    if step.expect is not None and step.expect.lower() not in first.text.lower():
        # The step is done only once the expected reply is there (its buttons are pressed
        # next), but only the first response is the latency being measured.
        await user.wait_for(contains_text(step.expect), timeout,
                            what=f"a reply containing {step.expect!r}")
    return latency


async def run_person(user: TestUser, script: Script, first_response: FirstResponse,
                     timeout: float) -> PersonOutcome:  # noqa: ASYNC109
    """Go through the script; a timeout or driver error stops this person and is kept."""
    outcome = PersonOutcome()
    for number, step in enumerate(script, 1):
        try:
            outcome.latencies.append(await timed_step(user, step, first_response, timeout))
        except Exception as exc:  # a benchmark reports failures rather than raising them
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            outcome.error = (f"step {number} ({step.kind} {step.arg!r}): "
                             f"{type(exc).__name__}: {first_line}")
            outcome.failed_step = number
            break
    return outcome


async def run_crowd(emulator: Emulator, scripts: Sequence[Script], prefix: str, waits: Waits,
                    timeout: float) -> tuple[list[PersonOutcome], float]:  # noqa: ASYNC109
    """Everyone goes through their script at once; their outcomes and the wall time."""
    users = [emulator.user(f"{prefix}{index}") for index in range(len(scripts))]
    async with contextlib.AsyncExitStack() as stack:
        first_response: FirstResponse = driver_first_response
        if waits == "watcher":
            first_response = (await stack.enter_async_context(
                ResponseWatcher(emulator))).first_response
        started = time.perf_counter()
        outcomes = await asyncio.gather(*(run_person(user, script, first_response, timeout)
                                          for user, script in zip(users, scripts, strict=True)))
        wall = time.perf_counter() - started
    return list(outcomes), wall


class LogCapture(logging.Handler):
    """Counts WARNING-and-worse records from anywhere while a run is measured, by kind."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.kinds: Counter[str] = Counter()
        self.samples: dict[str, str] = {}

    @property
    def count(self) -> int:
        """All records seen."""
        return sum(self.kinds.values())

    def emit(self, record: logging.LogRecord) -> None:
        # A kind is the message before its arguments are filled in, so that one problem
        # repeated for many people counts once, with one full example kept.
        kind = f"{record.levelname} {record.name}: {str(record.msg)[:100]}"
        self.kinds[kind] += 1
        if kind not in self.samples and len(self.samples) < KINDS_KEPT:
            line = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                line += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            self.samples[kind] = line[:400]


@contextmanager
def captured_logs() -> Iterator[LogCapture]:
    """Attach a LogCapture to the root logger for the duration of the block."""
    capture = LogCapture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)


async def measure(emulator: Emulator, bot: str, scripts: Sequence[Script], waits: Waits,
                  timeout: float) -> RunResult:  # noqa: ASYNC109
    """Run the crowd once against a bot already polling `emulator` and sum it up."""
    first_request = len(emulator.world.requests)
    with captured_logs() as logs:
        outcomes, wall = await run_crowd(emulator, scripts, f"{bot}-", waits, timeout)
    requests = emulator.world.requests[first_request:]
    latencies = sorted(s for outcome in outcomes for s in outcome.latencies)
    errors = [o.error for o in outcomes if o.error is not None]
    failed_steps = Counter(f"step {o.failed_step}" for o in outcomes if o.failed_step)
    return RunResult(
        bot=bot, people=len(scripts), updates=len(latencies), failed_people=len(errors),
        wall_seconds=wall, updates_per_second=ratio(len(latencies), wall),
        p50_ms=percentile(latencies, 50) * 1000, p99_ms=percentile(latencies, 99) * 1000,
        mean_ms=statistics.fmean(latencies) * 1000 if latencies else 0.0,
        max_ms=latencies[-1] * 1000 if latencies else 0.0,
        api_calls=dict(Counter(r.method for r in requests).most_common()),
        api_errors=dict(Counter(f"{r.method} {r.status}" for r in requests
                                if r.status != 200).most_common()),
        failures_by_step=dict(sorted(failed_steps.items())),
        errors=list(dict.fromkeys(errors))[:SAMPLES_KEPT],
        log_warnings=logs.count, log_kinds=dict(logs.kinds.most_common(KINDS_KEPT)),
        log_samples=list(logs.samples.values()),
    )


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server answered; the message says where it looked."""


R = TypeVar("R")


def report_run(benchmark: Coroutine[Any, Any, R], json_path: Path | None,
               report: Callable[[R], str], figures: Callable[[R], dict[str, Any]],
               failed: Callable[[R], bool]) -> int:
    """Run a benchmark, print its report and optionally write its figures as JSON (NaN as
    NaN, as json allows). The exit status: 1 on failures, 2 when PostgreSQL is unreachable."""
    try:
        result = asyncio.run(benchmark)
    except PostgresUnavailable as exc:
        print(f"PostgreSQL is unreachable, nothing was measured: {exc}", file=sys.stderr)
        return 2
    print(report(result))
    if json_path is not None:
        json_path.write_text(json.dumps(figures(result), indent=2, allow_nan=True) + "\n")
        print(f"Figures written to {json_path}")
    return 1 if failed(result) else 0
