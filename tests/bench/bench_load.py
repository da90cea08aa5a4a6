"""Benchmark: many simulated people chatting at once for minutes, Backcoach against a bare PTB
echo bot under the same load.

    python -m tests.bench.bench_load [--people 1000] [--minutes 3] [--database sqlite|postgres]
                                     [--json out.json]

Each person is a TestUser of the emulator in this process, talking to the real bot (the
Application running_bot builds, on a fresh migrated database) through the emulator over
loopback HTTP. A person onboards, then loops over check-ins, sessions walked with buttons,
/ask, /questions and free text, picked at random (seeded), pausing a random think time
before every action; see tests/bench/load_script.py. Latency: from the send or press to
the reply the person waits for; a reply missing after --timeout seconds is a lost answer.
Then the echo bot gets the same people, the same think times and the same sends and presses.
Rate limits are lifted so they do not pace the crowd: the bot's limiter at 50/s per chat and
500/s in all (as tests/e2e's FAST settings), the emulator without flood limits.

Exit status: 0 when every action of both runs was answered with no error, 1 otherwise (the
figures are printed either way), 2 when PostgreSQL is unreachable.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.config.settings import Settings
from bot.emulator import Emulator
from storage.db import make_engine
from tests.bench.bench_onboarding import (
    SALT,
    TOKEN,
    echo_script,
    fresh_database,
    onboarding_script,
)
from tests.bench.common import ratio, report_run
from tests.bench.common import run_crowd as run_warmup
from tests.bench.load_figures import LoadRun, measure_load
from tests.bench.load_processes import (
    BotChild,
    free_port,
    python_module,
    running_child,
    scrape,
)
from tests.bench.load_report import report
from tests.bench.load_script import WEIGHTS, echo_plan, parse_mix, plan, think_times
from tests.bench.reminders_people import server_version
from tests.bench.report import machine

Database = Literal["sqlite", "postgres"]
# Lifted as in tests/e2e/conftest.py FAST, so our own limiter does not pace the crowd.
PER_CHAT_RATE, GLOBAL_RATE = 50.0, 500.0
WARMUP_TIMEOUT = 60.0
LIMITER_WAITED = "backcoach_rate_limit_wait_seconds_total"


@dataclass
class LoadConfig:
    """The load pattern, the same for both bots."""

    people: int = 1000
    minutes: float = 3.0
    database: Database = "sqlite"
    think_min: float = 1.0
    think_max: float = 5.0
    timeout: float = 30.0
    seed: int = 1
    warmup: int = 5
    concurrency: int = 0  # updates in flight per bot; 0: Backcoach's default
    mix: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))

    @property
    def seconds(self) -> float:
        """How long people start new actions."""
        return self.minutes * 60


@dataclass
class Comparison:
    """Backcoach relative to the echo bot (throughput below 1, latencies above 1: slower)."""

    actions_per_second: float
    p50: float
    p90: float
    p99: float


@dataclass
class BenchResult:
    """Everything one run of the benchmark measured."""

    config: LoadConfig
    concurrency: int
    database_server: str
    limits: str
    backcoach: LoadRun
    echo: LoadRun
    ratio: Comparison
    machine: dict[str, str | int | None] = field(default_factory=lambda: describe_machine())
    run_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether any answer was lost, any reply wrong, or any error seen, in either run."""
        return bool(self.backcoach.failures or self.echo.failures
                    or not self.backcoach.actions or not self.echo.actions)


def memory_gib() -> float | None:
    """The machine's physical memory in GiB (None where the system does not say)."""
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (OSError, ValueError, AttributeError):
        return None


def describe_machine() -> dict[str, str | int | None]:
    """report.machine() plus the memory."""
    gib = memory_gib()
    return {**machine(), "memory_gib": None if gib is None else f"{gib:g}"}


def concurrency_of(config: LoadConfig) -> int:
    """The updates in flight per bot: as asked, else Backcoach's default."""
    default = Settings.model_fields["max_concurrent_updates"].default
    assert isinstance(default, int)
    return config.concurrency or default


def backcoach_env(config: LoadConfig, database_url: str, base_url: str,
                  health_port: int) -> dict[str, str]:
    """`backcoach run`'s settings: the fresh database, the emulator, limits lifted, JSON logs,
    /metrics on `health_port`."""
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "PERSON_REF_SALT": SALT,
            "TELEGRAM_API_BASE_URL": base_url,
            "HEALTH_PORT": str(health_port),
            "DATABASE_URL": database_url, "MAX_CONCURRENT_UPDATES": str(concurrency_of(config)),
            "RATE_LIMIT_PER_CHAT": f"{PER_CHAT_RATE:g}", "RATE_LIMIT_GLOBAL": f"{GLOBAL_RATE:g}",
            "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}


async def bench_backcoach(config: LoadConfig) -> tuple[LoadRun, str]:
    """The real bot as its own `backcoach run` process on a fresh database; the run and the
    database server."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-") as name:
        folder = Path(name)
        async with (fresh_database(config.database, folder) as url,
                    Emulator(limits=None) as emu):
            engine = make_engine(url)
            try:
                server = await server_version(engine)
            finally:
                await engine.dispose()
            port = free_port()
            metrics = f"http://127.0.0.1:{port}/metrics"
            child = BotChild("backcoach", python_module("bot.app.cli", "run"),
                             backcoach_env(config, url, emu.base_url, port), emu, folder)
            async with running_child(child):
                await run_warmup(emu, [onboarding_script(i) for i in range(config.warmup)],
                                 "warmup-", "watcher", WARMUP_TIMEOUT)
                gc.collect()
                waited_before = (await scrape(metrics))[LIMITER_WAITED]
                run = await measure_load(
                    emu, child, "backcoach", config.people,
                    lambda i: plan(i, config.seed, config.mix),
                    lambda i: think_times(i, config.seed, config.think_min, config.think_max),
                    config.seconds, config.timeout)
                run.limiter_waited_seconds = (await scrape(metrics))[LIMITER_WAITED] - waited_before
    return run, server


async def bench_echo(config: LoadConfig) -> LoadRun:
    """The bare PTB echo bot as its own process on its own fresh emulator, same crowd."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-echo-") as name:
        async with Emulator(limits=None) as emu:
            child = BotChild("echo", python_module(
                "tests.bench.echo", "--base-url", emu.base_url,
                "--concurrency", str(concurrency_of(config))), {}, emu, Path(name))
            async with running_child(child):
                await run_warmup(emu, [echo_script(i) for i in range(config.warmup)],
                                 "warmup-", "watcher", WARMUP_TIMEOUT)
                gc.collect()
                return await measure_load(
                    emu, child, "echo (PTB)", config.people,
                    lambda i: echo_plan(i, config.seed, config.mix),
                    lambda i: think_times(i, config.seed, config.think_min, config.think_max),
                    config.seconds, config.timeout)


async def run_benchmark(config: LoadConfig) -> BenchResult:
    """Measure Backcoach, then the echo bot, under the same load; raises PostgresUnavailable."""
    started = time.perf_counter()
    backcoach, server = await bench_backcoach(config)
    gc.collect()
    echo = await bench_echo(config)
    comparison = Comparison(
        actions_per_second=ratio(backcoach.actions_per_second, echo.actions_per_second),
        p50=ratio(backcoach.latency.p50_ms, echo.latency.p50_ms),
        p90=ratio(backcoach.latency.p90_ms, echo.latency.p90_ms),
        p99=ratio(backcoach.latency.p99_ms, echo.latency.p99_ms))
    limits = (f"the bot's limiter at {PER_CHAT_RATE:g}/s per chat and {GLOBAL_RATE:g}/s in "
              "all; the emulator without flood limits (limits=None)")
    return BenchResult(config=config, concurrency=concurrency_of(config),
                       database_server=server, limits=limits, backcoach=backcoach,
                       echo=echo, ratio=comparison,
                       run_seconds=time.perf_counter() - started)


def figures(result: BenchResult) -> dict[str, Any]:
    """The result as JSON-ready data (NaN written as NaN, as json allows by default)."""
    return {"benchmark": "load", **asdict(result), "failed": result.failed}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_load",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1000, help="people chatting at once")
    parser.add_argument("--minutes", type=float, default=3.0,
                        help="how long people start new actions, per bot")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0),
                        metavar=("MIN", "MAX"),
                        help="seconds a person pauses before each action, uniformly drawn")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds a reply may take before it counts as lost")
    defaults = ", ".join(f"{name}={weight:g}" for name, weight in WEIGHTS.items())
    parser.add_argument("--mix", default="",
                        help="activity weights, e.g. 'session=30,questions=0' (others keep "
                             f"their defaults: {defaults})")
    parser.add_argument("--seed", type=int, default=1, help="seeds plans and think times")
    parser.add_argument("--warmup", type=int, default=5, help="people onboarded before measuring")
    parser.add_argument("--concurrency", type=int, default=0,
                        help="updates in flight per bot (default: Backcoach's default)")
    args = parser.parse_args(argv)
    low, high = args.think
    if args.people < 1 or args.minutes <= 0 or args.warmup < 0 or args.timeout <= 0:
        parser.error("--people, --minutes and --timeout must be positive, --warmup at least 0")
    if not 0 <= low <= high:
        parser.error("--think MIN MAX needs 0 <= MIN <= MAX")
    try:
        args.mix = parse_mix(args.mix)
    except ValueError as exc:
        parser.error(f"--mix: {exc}")
    return args


def config_of(args: argparse.Namespace) -> LoadConfig:
    """The load pattern the command line asked for."""
    return LoadConfig(people=args.people, minutes=args.minutes, database=args.database,
                      think_min=args.think[0], think_max=args.think[1], timeout=args.timeout,
                      seed=args.seed, warmup=args.warmup, concurrency=args.concurrency,
                      mix=args.mix)


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, optionally write JSON; 1 on failures, 2 without PostgreSQL."""
    args = parse_args(argv)
    return report_run(run_benchmark(config_of(args)), args.json, report, figures,
                      lambda result: result.failed)


if __name__ == "__main__":
    sys.exit(main())
