"""Benchmark: many scripted people onboarding at once, Backcoach against a bare PTB echo bot.

    python -m tests.bench.bench_onboarding [--people 200] [--database sqlite|postgres]
                                           [--json out.json]

Both bots run in this process and event loop, each against its own fresh emulator with
flood limits lifted, driven by the same number of people sending 7 updates each. Figures:
updates handled per second (all updates / wall time of the concurrent run) and p50/p99 of
the time from an update entering the emulator to the bot's first message or edit in that
chat. The driver and emulator share the CPU with the bot, so both bots carry their cost.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from bot.app.runner import running_bot
from bot.app.wiring import build_deps
from bot.config.settings import Settings
from bot.emulator import Emulator
from bot.telegram.limiter import SendLimiter
from storage.migrate import upgrade_to_head
from tests.bench.common import (
    PostgresUnavailable,
    RunResult,
    Script,
    Step,
    Waits,
    measure,
    ratio,
    report_run,
    run_crowd,
)
from tests.bench.echo import running_echo_bot
from tests.bench.report import machine, problems, table
from tests.storage.databases import (
    drop_postgres_database,
    postgres_database_url,
    postgres_unavailable_reason,
    sqlite_database_url,
)

Database = Literal["sqlite", "postgres"]
TOKEN = "987654321:BENCH-token-for-the-emulator-abcdefghij"
# `backcoach run` with a token needs a person-reference key of its own.
SALT = "bench-person-ref-salt-not-the-default-0123456789"
UPDATES_PER_PERSON = 7
COUNTRIES = ("Portugal", "Ireland", "Spain", "Italy", "France", "Germany", "Canada",
             "United Kingdom", "United States", "Australia", "New Zealand", "India")
# Our own limiter is lifted as far as the settings allow, so it does not pace the crowd.
PER_CHAT_RATE, GLOBAL_RATE = 100.0, 10_000.0


def onboarding_script(index: int) -> Script:
    """/start, consent, a country, all five, Done, keep the doses, safety rules: 7 updates."""
    return (Step("send", "/start", "I understand"),
            Step("press", "I understand", "Which country"),
            Step("press", COUNTRIES[index % len(COUNTRIES)], "Which exercises"),
            Step("press", "All 5", "Which exercises"),
            Step("press", "Done", "Here is your program"),
            Step("press", "These are right", "safety rules"),
            Step("press", "Got it", "all set"))


def echo_script(index: int) -> Script:
    """One message and five presses, as in onboarding."""
    return (Step("send", "/start", "You said"),
            *(Step("press", "Next", "Pressed") for _ in range(UPDATES_PER_PERSON - 1)))


@dataclass
class Comparison:
    """Backcoach relative to the echo bot (throughput below 1 and latencies above 1: slower)."""

    throughput: float
    p50: float
    p99: float


@dataclass
class BenchResult:
    """Everything one run of the benchmark measured."""

    people: int
    updates_per_person: int
    database: Database
    concurrency: int
    waits: Waits
    backcoach: RunResult
    echo: RunResult
    ratio: Comparison
    machine: dict[str, str | int | None] = field(default_factory=machine)
    run_seconds: float = 0.0


@asynccontextmanager
async def fresh_database(kind: Database, folder: Path) -> AsyncIterator[str]:
    """A migrated empty database: a SQLite file in folder, or a throwaway PostgreSQL one."""
    if kind == "sqlite":
        url = sqlite_database_url(folder)
        await asyncio.to_thread(upgrade_to_head, url)
        yield url
        return
    created = await postgres_database_url()
    if created is None:
        raise PostgresUnavailable(postgres_unavailable_reason())
    try:
        await asyncio.to_thread(upgrade_to_head, created)
        yield created
    finally:
        await drop_postgres_database(created)


async def bench_backcoach(people: int, database: Database, warmup: int, concurrency: int,
                          waits: Waits, timeout: float) -> RunResult:  # noqa: ASYNC109
    """The real bot, in-process, on a fresh database."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-") as folder:
        async with fresh_database(database, Path(folder)) as url, Emulator(limits=None) as emu:
            settings = Settings(database_url=url, max_concurrent_updates=concurrency,
                                rate_limit_per_chat=PER_CHAT_RATE, rate_limit_global=GLOBAL_RATE)
            deps = build_deps(settings)
            try:
                async with running_bot(deps, TOKEN, emu.base_url, poll_timeout=1) as app:
                    await run_crowd(emu, [onboarding_script(i) for i in range(warmup)],
                                    "warmup-", waits, timeout)
                    gc.collect()
                    result = await measure(emu, "backcoach",
                                           [onboarding_script(i) for i in range(people)],
                                           waits, timeout)
                    limiter = app.bot.rate_limiter
                    if isinstance(limiter, SendLimiter):
                        result.limiter_waited_seconds = limiter.waited_seconds
            finally:
                await deps.close()
    return result


async def bench_echo(people: int, warmup: int, concurrency: int, waits: Waits,
                     timeout: float) -> RunResult:  # noqa: ASYNC109
    """The bare PTB echo bot on its own fresh emulator."""
    async with Emulator(limits=None) as emu, running_echo_bot(emu.base_url, concurrency):
        await run_crowd(emu, [echo_script(i) for i in range(warmup)], "warmup-", waits, timeout)
        gc.collect()
        return await measure(emu, "echo (PTB)", [echo_script(i) for i in range(people)], waits,
                             timeout)


async def run_benchmark(people: int = 200, database: Database = "sqlite", warmup: int = 5,
                        concurrency: int | None = None, waits: Waits = "watcher",
                        timeout: float = 60.0) -> BenchResult:  # noqa: ASYNC109
    """Measure Backcoach, then the echo bot, with the same crowd; raises PostgresUnavailable."""
    started = time.perf_counter()
    concurrency = concurrency or Settings.model_fields["max_concurrent_updates"].default
    assert isinstance(concurrency, int)
    backcoach = await bench_backcoach(people, database, warmup, concurrency, waits, timeout)
    gc.collect()
    echo = await bench_echo(people, warmup, concurrency, waits, timeout)
    comparison = Comparison(throughput=ratio(backcoach.updates_per_second, echo.updates_per_second),
                            p50=ratio(backcoach.p50_ms, echo.p50_ms),
                            p99=ratio(backcoach.p99_ms, echo.p99_ms))
    return BenchResult(people=people, updates_per_person=UPDATES_PER_PERSON, database=database,
                       concurrency=concurrency, waits=waits, backcoach=backcoach, echo=echo,
                       ratio=comparison, run_seconds=time.perf_counter() - started)


def report(result: BenchResult) -> str:
    """The printed summary: table, ratios, machine, and anything that went wrong."""
    m, r = result.machine, result.ratio
    waited = result.backcoach.limiter_waited_seconds
    lines = [
        f"Onboarding benchmark: {result.people} people x {result.updates_per_person} updates "
        f"at once, Backcoach on {result.database}, up to {result.concurrency} updates "
        f"in flight per bot, emulator flood limits off, replies awaited by the {result.waits}",
        "",
        table([result.backcoach, result.echo]),
        "",
        f"Backcoach / echo: throughput {r.throughput:.2f}x, p50 latency {r.p50:.2f}x, "
        f"p99 latency {r.p99:.2f}x",
        f"Backcoach limiter slept {waited or 0.0:.3f} s in total during the measured run",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), Python {m['python']}, {m['platform']}, "
        f"python-telegram-bot {m['python_telegram_bot']}, SQLAlchemy {m['sqlalchemy']}, "
        f"source {m['source']}",
        f"Benchmark run time: {result.run_seconds:.1f} s (warm-up, set-up and both runs)",
    ]
    trouble = problems(result.backcoach) + problems(result.echo)
    if trouble:
        lines += ["", "Problems seen:", *trouble]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_onboarding",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=200, help="people onboarding at once")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--warmup", type=int, default=5, help="people before measuring")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="updates in flight per bot (default: Backcoach's default)")
    parser.add_argument("--waits", choices=("watcher", "driver"), default="watcher",
                        help="how replies are awaited: one watcher for everyone (default), "
                             "or each person's TestUser.wait_for (slower with big crowds)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds a person waits for each reply before giving up")
    args = parser.parse_args(argv)
    if args.people < 1 or args.warmup < 0:
        parser.error("--people must be at least 1 and --warmup at least 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, optionally write JSON; 2 when PostgreSQL is unreachable."""
    args = parse_args(argv)
    return report_run(
        run_benchmark(args.people, args.database, args.warmup, args.concurrency, args.waits,
                      args.timeout),
        args.json, report, lambda result: {"benchmark": "onboarding", **asdict(result)},
        lambda result: bool(result.backcoach.failed_people + result.echo.failed_people
                            or math.isnan(result.ratio.throughput)))


if __name__ == "__main__":
    sys.exit(main())
