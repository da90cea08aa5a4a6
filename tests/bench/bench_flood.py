"""Benchmark: one person floods the bot while 50 others chat; are the others still answered
as fast as without the flood?

    python -m tests.bench.bench_flood [--people 50] [--seconds 40] [--database sqlite|postgres]
                                      [--messages 300] [--presses 100] [--json out.json]

The real bot runs as its own `backcoach run` process on a fresh migrated database, polling
the emulator over loopback HTTP (as in bench_load). N normal people (the load benchmark's
plan: onboarding, then check-ins, sessions, questions and free text, with 1-5 s think
times) chat for --seconds: first without a flood (the baseline), then, as other people
with the same plans, while one person sends --messages texts and --presses button presses
all at once when the run starts, the last text naming a warning sign. Printed: the normal
people's reply latency p50/p99 in both runs and the ratio, and what became of the flood:
how many of its updates were let go (the bot's /metrics), how many notices the flooder got,
and how long the warning sign in the flood took to be answered.

Rate limits are lifted as in bench_load (the bot's limiter at 50/s per chat and 500/s in
all, the emulator without flood limits), so the flooder's updates are worked through as
fast as the bot can: the harshest case for everyone else's CPU share.

Exit status: 0 when every normal action was answered with no error, the flood's warning
sign was answered, and the p99 with the flood is within --max-ratio (2) of the p99 without;
1 otherwise (the figures are printed either way); 2 when PostgreSQL is unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.emulator import Emulator, TestUser
from bot.emulator.chatview import MESSAGE_KINDS
from storage.db import make_engine
from tests.bench.bench_load import Database, LoadConfig, backcoach_env, describe_machine
from tests.bench.bench_onboarding import fresh_database, onboarding_script
from tests.bench.common import ratio, report_run
from tests.bench.common import run_crowd as run_warmup
from tests.bench.load_figures import LoadRun, measure_load
from tests.bench.load_processes import BotChild, free_port, python_module, running_child, scrape
from tests.bench.load_report import problems, runs_table
from tests.bench.load_script import plan, think_times
from tests.bench.reminders_people import server_version

WARMUP_TIMEOUT = 60.0
LET_GO = "backcoach_updates_let_go_total"
NOTICE = "That's a lot at once"
WARNING = "crushing chest pain spreading to my left arm"
EMERGENCY = "Please get medical help now"


@dataclass
class FloodConfig:
    """The crowd, the flood and the target."""

    people: int = 50
    seconds: float = 40.0
    database: Database = "sqlite"
    messages: int = 300
    presses: int = 100
    think_min: float = 1.0
    think_max: float = 5.0
    timeout: float = 30.0
    seed: int = 1
    warmup: int = 5
    max_ratio: float = 2.0  # 0: no target

    def load(self) -> LoadConfig:
        """The load benchmark's settings for the normal people."""
        return LoadConfig(people=self.people, minutes=self.seconds / 60, database=self.database,
                          think_min=self.think_min, think_max=self.think_max,
                          timeout=self.timeout, seed=self.seed, warmup=self.warmup)


@dataclass
class FloodFigures:
    """What became of the flood."""

    updates: int  # sent by the flooder, the warning sign included
    let_go: int  # by the bot's own count
    replies: int  # bot messages and edits in the flooder's chat during the run
    notices: int
    warning_answered_seconds: float | None  # None: not answered within the timeout


@dataclass
class FloodResult:
    """Everything one run of the benchmark measured."""

    config: FloodConfig
    database_server: str
    calm: LoadRun
    flooded: LoadRun
    flood: FloodFigures
    p50_ratio: float
    p99_ratio: float
    machine: dict[str, str | int | None] = field(default_factory=lambda: describe_machine())
    run_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Answers lost, errors, the warning unanswered, or the p99 over the target."""
        over = self.config.max_ratio > 0 and not self.p99_ratio <= self.config.max_ratio
        return bool(self.calm.failures or self.flooded.failures or not self.calm.actions
                    or not self.flooded.actions or over
                    or self.flood.warning_answered_seconds is None)


async def ready_flooder(emu: Emulator) -> TestUser:
    """The flooder, at the welcome (its buttons are what they press)."""
    flooder = emu.user("flooder")
    await flooder.send_and_wait("/start", contains="I understand", timeout=WARMUP_TIMEOUT)
    return flooder


async def flood(flooder: TestUser, config: FloodConfig) -> float:
    """Every update at once, presses spread among the texts, the warning sign last; returns
    when it was sent (perf_counter)."""
    buttons = flooder.last_message_with_buttons()
    assert buttons is not None and buttons.buttons
    data = buttons.buttons[0][0].callback_data
    assert data is not None
    total = config.messages + config.presses
    every = total / config.presses if config.presses else 0
    pressed = 0
    for n in range(total - 1):
        if config.presses and pressed < config.presses and n >= pressed * every:
            pressed += 1
            await flooder.press_data(data, buttons.message_id)
        else:
            await flooder.send(f"just checking in {n}")
    sent = time.perf_counter()
    await flooder.send(WARNING)
    return sent


async def warning_answered(flooder: TestUser, since: int, sent: float,
                           timeout: float) -> float | None:  # noqa: ASYNC109
    """Seconds from the flood's warning sign to its emergency answer (None: never came)."""
    try:
        await flooder.wait_for(lambda e: EMERGENCY in e.text, timeout, since=since,
                               what="the answer to the warning sign in the flood")
    except AssertionError:
        return None
    return time.perf_counter() - sent


async def run_benchmark(config: FloodConfig) -> FloodResult:
    """Without a flood, then with one, against one bot process; raises PostgresUnavailable."""
    started = time.perf_counter()
    load = config.load()
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-flood-") as name:
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
                             backcoach_env(load, url, emu.base_url, port), emu, folder)
            async with running_child(child):
                await run_warmup(emu, [onboarding_script(i) for i in range(config.warmup)],
                                 "warmup-", "watcher", WARMUP_TIMEOUT)
                flooder = await ready_flooder(emu)
                gc.collect()
                calm = await crowd(emu, child, "calm", load)
                gc.collect()
                let_go_before = (await scrape(metrics)).get(LET_GO, 0.0)
                since = len(flooder.transcript)
                sent = await flood(flooder, config)
                answer = asyncio.create_task(
                    warning_answered(flooder, since, sent, config.timeout))
                flooded = await crowd(emu, child, "flooded", load)
                answered = await answer
                await emu.wait_delivered(timeout=config.timeout)
                let_go = (await scrape(metrics)).get(LET_GO, 0.0) - let_go_before
    replies = [e.text for e in flooder.transcript[since:]
               if e.who == "bot" and e.kind in MESSAGE_KINDS]
    figures = FloodFigures(updates=config.messages + config.presses, let_go=int(let_go),
                           replies=len(replies), notices=sum(NOTICE in t for t in replies),
                           warning_answered_seconds=answered)
    return FloodResult(config=config, database_server=server, calm=calm, flooded=flooded,
                       flood=figures,
                       p50_ratio=ratio(flooded.latency.p50_ms, calm.latency.p50_ms),
                       p99_ratio=ratio(flooded.latency.p99_ms, calm.latency.p99_ms),
                       run_seconds=time.perf_counter() - started)


async def crowd(emu: Emulator, child: BotChild, label: str, load: LoadConfig) -> LoadRun:
    """The normal people for the configured time; their own names in each run."""
    return await measure_load(
        emu, child, label, load.people, lambda i: plan(i, load.seed, load.mix),
        lambda i: think_times(i, load.seed, load.think_min, load.think_max),
        load.seconds, load.timeout)


def report(result: FloodResult) -> str:
    """The printed summary."""
    config, m, f = result.config, result.machine, result.flood
    answered = ("never (within the timeout)" if f.warning_answered_seconds is None
                else f"{f.warning_answered_seconds:.2f} s after it was sent")
    target = (f"target: within {config.max_ratio:g}x" if config.max_ratio > 0
              else "no target")
    lines = [
        f"Flood benchmark: {config.people} normal people chatting for {config.seconds:g} s, "
        f"Backcoach on {result.database_server}; then the same with one person sending "
        f"{config.messages} messages and {config.presses} presses at once",
        "Normal people: the load benchmark's plan, think times "
        f"{config.think_min:g}-{config.think_max:g} s (seed {config.seed}); rate limits "
        "lifted as in the load benchmark; the bot as its own process",
        "",
        runs_table([result.calm, result.flooded]),
        "",
        f"Normal people with the flood / without: p50 {result.p50_ratio:.2f}x, "
        f"p99 {result.p99_ratio:.2f}x ({target})",
        f"The flood: {f.updates} updates, {f.let_go} let go, {f.replies} bot messages and "
        f"edits in the flooder's chat, {f.notices} notice(s); its warning sign answered "
        f"{answered}",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m.get('memory_gib')} GiB, Python "
        f"{m['python']}, {m['platform']}, python-telegram-bot {m['python_telegram_bot']}, "
        f"SQLAlchemy {m['sqlalchemy']}, source {m['source']}",
        f"Benchmark run time: {result.run_seconds:.1f} s",
    ]
    trouble = problems(result.calm) + problems(result.flooded)
    if trouble:
        lines += ["", "Problems seen:", *trouble]
    verdict = ("FAILED: see above" if result.failed
               else "OK: every action answered, the warning sign too, p99 within target")
    return "\n".join([*lines, "", f"Result: {verdict}"])


def figures(result: FloodResult) -> dict[str, Any]:
    """The result as JSON-ready data."""
    return {"benchmark": "flood", **asdict(result), "failed": result.failed}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_flood",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=50, help="normal people chatting")
    parser.add_argument("--seconds", type=float, default=40.0,
                        help="how long people start new actions, per run")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--messages", type=int, default=300, help="texts in the flood")
    parser.add_argument("--presses", type=int, default=100, help="button presses in the flood")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0),
                        metavar=("MIN", "MAX"), help="normal people's pause before each action")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds a reply may take before it counts as lost")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5, help="people onboarded before measuring")
    parser.add_argument("--max-ratio", type=float, default=2.0,
                        help="the p99 with the flood over the p99 without must stay within "
                             "this (0: no target)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if (args.people < 1 or args.seconds <= 0 or args.messages < 1 or args.presses < 0
            or args.timeout <= 0 or args.warmup < 0 or args.max_ratio < 0):
        parser.error("--people, --seconds, --messages and --timeout must be positive; "
                     "--presses, --warmup and --max-ratio at least 0")
    if not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think MIN MAX needs 0 <= MIN <= MAX")
    return args


def config_of(args: argparse.Namespace) -> FloodConfig:
    """The benchmark the command line asked for."""
    return FloodConfig(people=args.people, seconds=args.seconds, database=args.database,
                       messages=args.messages, presses=args.presses, think_min=args.think[0],
                       think_max=args.think[1], timeout=args.timeout, seed=args.seed,
                       warmup=args.warmup, max_ratio=args.max_ratio)


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, optionally write JSON; 1 on failures, 2 without PostgreSQL."""
    args = parse_args(argv)
    return report_run(run_benchmark(config_of(args)), args.json, report, figures,
                      lambda result: result.failed)


if __name__ == "__main__":
    sys.exit(main())
