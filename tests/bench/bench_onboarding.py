"""Benchmark: many scripted people onboarding at once, Backcoach against a bare PTB echo bot.

    python -m tests.bench.bench_onboarding [--people 200] [--database sqlite|postgres]
                                           [--json out.json]

Each bot runs as its own process (`backcoach run`, or the echo bot's main), as in
production, against its own fresh emulator with flood limits lifted, driven by the same
number of people sending 7 updates each; the people and the emulator are in this process
and measure the bot from outside (as tests/bench/bench_load.py does). Figures: updates
handled per second (all updates / wall time of the concurrent run), p50/p99 of the time
from an update entering the emulator to the bot's first message or edit in that chat, and
each bot's CPU time. Warnings count from both the bot's JSON log and this process.
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

from bot.config.settings import Settings
from bot.emulator import Emulator
from storage.migrate import upgrade_to_head
from tests.bench.common import (
    KINDS_KEPT,
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
from tests.bench.load_processes import (
    BotChild,
    free_port,
    python_module,
    read_logs,
    running_child,
    scrape,
)
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
LIMITER_WAITED = "backcoach_rate_limit_wait_seconds_total"


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


def backcoach_env(url: str, base_url: str, concurrency: int, health_port: int) -> dict[str, str]:
    """`backcoach run`'s settings: the fresh database, the emulator, our limiter lifted, JSON
    logs (read for warnings), /metrics on `health_port` (for the limiter's waits)."""
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "PERSON_REF_SALT": SALT,
            "TELEGRAM_API_BASE_URL": base_url, "DATABASE_URL": url,
            "HEALTH_PORT": str(health_port), "MAX_CONCURRENT_UPDATES": str(concurrency),
            "RATE_LIMIT_PER_CHAT": f"{PER_CHAT_RATE:g}", "RATE_LIMIT_GLOBAL": f"{GLOBAL_RATE:g}",
            "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}


async def measure_child(emu: Emulator, child: BotChild, bot: str, scripts: Sequence[Script],
                        waits: Waits, timeout: float) -> RunResult:  # noqa: ASYNC109
    """measure() against a bot process, with its warnings (from its log) and its CPU."""
    log_start, cpu_before = child.log_size(), child.cpu_seconds()
    result = await measure(emu, bot, scripts, waits, timeout)
    logs = read_logs(child.log_path, log_start)
    result.log_warnings += logs.count
    result.log_kinds = {**result.log_kinds, **dict(logs.kinds.most_common(KINDS_KEPT))}
    result.log_samples = [*result.log_samples, *logs.samples.values()][:KINDS_KEPT]
    result.cpu_seconds = child.cpu_seconds() - cpu_before
    return result


async def bench_backcoach(people: int, database: Database, warmup: int, concurrency: int,
                          waits: Waits, timeout: float) -> RunResult:  # noqa: ASYNC109
    """The real bot as its own `backcoach run` process (as in production) on a fresh
    database, measured from outside."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-") as name:
        folder = Path(name)
        async with fresh_database(database, folder) as url, Emulator(limits=None) as emu:
            port = free_port()
            child = BotChild("backcoach", python_module("bot.app.cli", "run"),
                             backcoach_env(url, emu.base_url, concurrency, port), emu, folder)
            metrics = f"http://127.0.0.1:{port}/metrics"
            async with running_child(child):
                await run_crowd(emu, [onboarding_script(i) for i in range(warmup)],
                                "warmup-", waits, timeout)
                gc.collect()
                waited_before = (await scrape(metrics))[LIMITER_WAITED]
                result = await measure_child(emu, child, "backcoach",
                                             [onboarding_script(i) for i in range(people)],
                                             waits, timeout)
                result.limiter_waited_seconds = (await scrape(metrics))[LIMITER_WAITED] \
                    - waited_before
    return result


async def bench_echo(people: int, warmup: int, concurrency: int, waits: Waits,
                     timeout: float) -> RunResult:  # noqa: ASYNC109
    """The bare PTB echo bot as its own process, on its own fresh emulator."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-echo-") as name:
        async with Emulator(limits=None) as emu:
            child = BotChild("echo", python_module(
                "tests.bench.echo", "--base-url", emu.base_url,
                "--concurrency", str(concurrency)), {}, emu, Path(name))
            async with running_child(child):
                await run_crowd(emu, [echo_script(i) for i in range(warmup)], "warmup-", waits,
                                timeout)
                gc.collect()
                return await measure_child(emu, child, "echo (PTB)",
                                           [echo_script(i) for i in range(people)], waits,
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
        "Each bot its own process, measured from outside; CPU used during the measured run: "
        + ", ".join(f"{run.bot} {run.cpu_seconds or 0.0:.1f} s"
                    for run in (result.backcoach, result.echo)),
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
