"""Shared benchmark machinery: scripted people, per-update latency, statistics, reporting.

A person's latency for one update runs from just before the driver puts the update into
the emulator (`send`/`press`) to the moment the driver's event-driven `wait_for` sees the
bot's first message or edit in that chat. Callback answers (the spinner) do not count.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import platform
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import sqlalchemy
import telegram

from bot.emulator import Emulator, TestUser
from bot.emulator.chatview import contains_text

SAMPLES_KEPT = 5


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
    api_errors: int
    errors: list[str]
    log_warnings: int
    log_samples: list[str]
    limiter_waited_seconds: float | None = None


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when the denominator is zero."""
    return numerator / denominator if denominator else math.nan


async def timed_step(user: TestUser, step: Step, timeout: float) -> float:  # noqa: ASYNC109
    """Produce the step's update; seconds until the bot's first message or edit answers it."""
    started = time.perf_counter()
    if step.kind == "send":
        await user.send(step.arg)
    else:
        await user.press(step.arg)
    first = await user.wait_for(contains_text(None), timeout,
                                what=f"a response to {step.kind} {step.arg!r}")
    latency = time.perf_counter() - started
    if step.expect is not None and step.expect.lower() not in first.text.lower():
        # The step is done only once the expected reply is there (its buttons are pressed
        # next), but only the first response is the latency being measured.
        await user.wait_for(contains_text(step.expect), timeout,
                            what=f"a reply containing {step.expect!r}")
    return latency


async def run_person(user: TestUser, script: Script, timeout: float) -> PersonOutcome:  # noqa: ASYNC109
    """Go through the script; a timeout or driver error stops this person and is kept."""
    outcome = PersonOutcome()
    for number, step in enumerate(script, 1):
        try:
            outcome.latencies.append(await timed_step(user, step, timeout))
        except Exception as exc:  # a benchmark reports failures rather than raising them
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            outcome.error = (f"step {number} ({step.kind} {step.arg!r}): "
                             f"{type(exc).__name__}: {first_line}")
            break
    return outcome


async def run_crowd(emulator: Emulator, scripts: Sequence[Script], prefix: str,
                    timeout: float) -> tuple[list[PersonOutcome], float]:  # noqa: ASYNC109
    """Everyone goes through their script at once; their outcomes and the wall time."""
    users = [emulator.user(f"{prefix}{index}") for index in range(len(scripts))]
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(run_person(user, script, timeout) for user, script in zip(users, scripts, strict=True)))
    return list(outcomes), time.perf_counter() - started


class LogCapture(logging.Handler):
    """Counts WARNING-and-worse records from anywhere while a run is measured."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.samples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            line += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        if len(self.samples) < SAMPLES_KEPT and line not in self.samples:
            self.samples.append(line)


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


async def measure(emulator: Emulator, bot: str, scripts: Sequence[Script],
                  timeout: float) -> RunResult:  # noqa: ASYNC109
    """Run the crowd once against a bot already polling `emulator` and sum it up."""
    first_request = len(emulator.world.requests)
    with captured_logs() as logs:
        outcomes, wall = await run_crowd(emulator, scripts, f"{bot}-", timeout)
    requests = emulator.world.requests[first_request:]
    latencies = sorted(s for outcome in outcomes for s in outcome.latencies)
    errors = [o.error for o in outcomes if o.error is not None]
    return RunResult(
        bot=bot, people=len(scripts), updates=len(latencies), failed_people=len(errors),
        wall_seconds=wall, updates_per_second=ratio(len(latencies), wall),
        p50_ms=percentile(latencies, 50) * 1000, p99_ms=percentile(latencies, 99) * 1000,
        mean_ms=statistics.fmean(latencies) * 1000 if latencies else 0.0,
        max_ms=latencies[-1] * 1000 if latencies else 0.0,
        api_calls=dict(Counter(r.method for r in requests).most_common()),
        api_errors=sum(1 for r in requests if r.status != 200),
        errors=list(dict.fromkeys(errors))[:SAMPLES_KEPT],
        log_warnings=logs.count, log_samples=logs.samples,
    )


def cpu_model() -> str:
    """The CPU's model name where the system says it (Linux), else the architecture."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def source_version() -> str:
    """The git commit measured, marked "+changes" when tracked files differ from it."""
    root = Path(__file__).resolve().parents[2]

    def git(*args: str) -> str:
        # --no-optional-locks: read only, never refresh the index under other people's feet.
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=root, text=True,
                              capture_output=True, check=True, timeout=10)
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}+changes" if changed else commit


def machine() -> dict[str, str | int | None]:
    """What the figures were measured on."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu": cpu_model(),
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "platform": platform.platform(),
        "python_telegram_bot": telegram.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "source": source_version(),
    }


def table(results: Sequence[RunResult]) -> str:
    """The figures as a fixed-width table, one row per bot."""
    head = (f"{'bot':<12}{'people':>8}{'updates':>9}{'failed':>8}{'wall s':>9}"
            f"{'updates/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'API calls':>11}")
    rows = [head, "-" * len(head)]
    for r in results:
        calls = sum(r.api_calls.values())
        rows.append(f"{r.bot:<12}{r.people:>8}{r.updates:>9}{r.failed_people:>8}"
                    f"{r.wall_seconds:>9.2f}{r.updates_per_second:>11.1f}{r.p50_ms:>9.1f}"
                    f"{r.p99_ms:>9.1f}{r.max_ms:>9.1f}{calls:>11}")
    return "\n".join(rows)


def problems(result: RunResult) -> list[str]:
    """Lines describing failures, API errors and warnings seen during a run (none: [])."""
    lines: list[str] = []
    if result.failed_people:
        lines.append(f"{result.bot}: {result.failed_people} people did not finish, e.g.:")
        lines += [f"  {error}" for error in result.errors]
    if result.api_errors:
        lines.append(f"{result.bot}: {result.api_errors} Bot API calls answered with an error")
    if result.log_warnings:
        lines.append(f"{result.bot}: {result.log_warnings} log records at WARNING or worse, e.g.:")
        lines += [f"  {sample}" for sample in result.log_samples]
    return lines
