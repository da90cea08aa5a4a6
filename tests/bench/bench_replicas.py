"""Benchmark: Backcoach as webhook replicas on one PostgreSQL database, N replicas against one.

    python -m tests.bench.bench_replicas [--people 1000] [--minutes 3] [--replicas 2]
                                         [--json out.json]

The load benchmark's crowd (tests/bench/load_script.py), in this process with the emulator,
talks to `backcoach run` processes serving a webhook (WEBHOOK_URL), as replicas do in
production: the emulator posts each update to a round-robin balancer in this process, which
forwards it to the next replica. First one replica behind the balancer, then N, each time on
a fresh migrated PostgreSQL database and a fresh emulator; the balancer is in both runs, so
the ratio is the replicas' own. Same limits as bench_load (the bot's limiter lifted, the
emulator without flood limits).

Exit status: 0 when every action of both runs was answered with no error, 1 otherwise (the
figures are printed either way), 2 when PostgreSQL is unreachable.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.emulator import Emulator
from tests.balancer import RoundRobin
from tests.bench.bench_load import (
    WARMUP_TIMEOUT,
    LoadConfig,
    backcoach_env,
    config_of,
    describe_machine,
    parse_args,
)
from tests.bench.bench_onboarding import fresh_database, onboarding_script
from tests.bench.common import ratio, report_run
from tests.bench.common import run_crowd as run_warmup
from tests.bench.load_figures import LoadRun, measure_load
from tests.bench.load_processes import (
    BotChild,
    ChildGroup,
    free_port,
    python_module,
    running_child,
)
from tests.bench.load_report import activity_table, problems, resources_line, runs_table
from tests.bench.load_script import plan, think_times

MAX_CONNECTIONS = 100  # webhook requests in flight at once (Telegram's most)


def replica(emu: Emulator, balancer: RoundRobin, config: LoadConfig, url: str,
            folder: Path) -> BotChild:
    """One `backcoach run` serving the webhook behind `balancer`, logging to the shared log."""
    port, health = free_port(), free_port()
    balancer.backends.append(f"http://127.0.0.1:{port}")
    env = {**backcoach_env(config, url, emu.base_url, health),
           "WEBHOOK_URL": balancer.url, "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port),
           "WEBHOOK_MAX_CONNECTIONS": str(MAX_CONNECTIONS)}

    async def ready() -> bool:
        if emu.world.webhook.url != balancer.url:
            return False
        try:
            async with (aiohttp.ClientSession() as session,
                        session.get(f"http://127.0.0.1:{health}/readyz") as answer):
                return answer.status == 200
        except aiohttp.ClientError:
            return False

    return BotChild("replicas", python_module("bot.app.cli", "run"), env, emu, folder, ready)


@asynccontextmanager
async def replicas(config: LoadConfig, count: int) -> AsyncIterator[tuple[Emulator, ChildGroup]]:
    """`count` replicas on a fresh PostgreSQL database behind a balancer, started and ready."""
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-replicas-") as name:
        folder = Path(name)
        async with (fresh_database("postgres", folder) as url, Emulator(limits=None) as emu,
                    RoundRobin() as balancer, AsyncExitStack() as stack):
            children = [replica(emu, balancer, config, url, folder) for _ in range(count)]
            for child in children:
                await stack.enter_async_context(running_child(child))
            yield emu, ChildGroup(children)


async def measure(config: LoadConfig, count: int) -> LoadRun:
    """The crowd against `count` replicas, after the warm-up."""
    async with replicas(config, count) as (emu, group):
        await run_warmup(emu, [onboarding_script(i) for i in range(config.warmup)],
                         "warmup-", "watcher", WARMUP_TIMEOUT)
        gc.collect()
        return await measure_load(
            emu, group, f"{count} replica{'s' if count > 1 else ''}", config.people,
            lambda i: plan(i, config.seed, config.mix),
            lambda i: think_times(i, config.seed, config.think_min, config.think_max),
            config.seconds, config.timeout)


@dataclass
class ReplicasResult:
    """One replica and N, under the same crowd."""

    config: LoadConfig
    replicas: int
    one: LoadRun
    many: LoadRun
    actions_ratio: float
    p50_ratio: float
    p99_ratio: float
    run_seconds: float
    machine: dict[str, str | int | None]

    @property
    def failed(self) -> bool:
        """Whether any answer was lost, any reply wrong, or any error seen, in either run."""
        return bool(self.one.failures or self.many.failures
                    or not self.one.actions or not self.many.actions)


async def run_benchmark(config: LoadConfig, count: int) -> ReplicasResult:
    """One replica, then `count`, under the same crowd; raises PostgresUnavailable."""
    started = time.perf_counter()
    one = await measure(config, 1)
    gc.collect()
    many = await measure(config, count)
    return ReplicasResult(
        config=config, replicas=count, one=one, many=many,
        actions_ratio=ratio(many.actions_per_second, one.actions_per_second),
        p50_ratio=ratio(many.latency.p50_ms, one.latency.p50_ms),
        p99_ratio=ratio(many.latency.p99_ms, one.latency.p99_ms),
        run_seconds=time.perf_counter() - started, machine=describe_machine())


def report(result: ReplicasResult) -> str:
    """The printed summary."""
    config, m = result.config, result.machine
    lines = [
        f"Replicas benchmark: {config.people:,} people for {config.minutes:g} min, Backcoach "
        f"as webhook replicas on one PostgreSQL database behind a round-robin balancer: "
        f"1 replica, then {result.replicas}",
        f"Think time {config.think_min:g}-{config.think_max:g} s, seed {config.seed}, "
        f"timeout {config.timeout:g} s; each replica its own process",
        "", runs_table([result.one, result.many]), "",
        f"{result.replicas} replicas / 1: actions/s {result.actions_ratio:.2f}x, "
        f"p50 latency {result.p50_ratio:.2f}x, p99 {result.p99_ratio:.2f}x",
        resources_line(result.one), resources_line(result.many),
        "", f"{result.replicas} replicas by activity:", activity_table(result.many), "",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m.get('memory_gib')} GiB, Python "
        f"{m['python']}, source {m['source']}",
        f"Benchmark run time: {result.run_seconds:.1f} s",
    ]
    trouble = problems(result.one) + problems(result.many)
    if trouble:
        lines += ["", "Problems seen:", *trouble]
    verdict = ("FAILED: answers lost, wrong replies or errors (see above)" if result.failed
               else "OK: every action answered, no errors")
    return "\n".join([*lines, "", f"Result: {verdict}"])


def figures(result: ReplicasResult) -> dict[str, Any]:
    """The result as JSON-ready data."""
    return {"benchmark": "replicas", **asdict(result), "failed": result.failed}


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, optionally write JSON; 1 on failures, 2 without PostgreSQL."""
    args = list(sys.argv[1:] if argv is None else argv)
    count = 2
    if "--replicas" in args:
        at = args.index("--replicas")
        count = int(args[at + 1])
        del args[at:at + 2]
    if count < 2:
        print("--replicas must be at least 2", file=sys.stderr)
        return 2
    parsed = parse_args([*args, "--database", "postgres"])
    return report_run(run_benchmark(config_of(parsed), count), parsed.json, report, figures,
                      lambda result: result.failed)


if __name__ == "__main__":
    sys.exit(main())
