"""Benchmark: N people whose daily reminder falls in the same minute, against one APScheduler
job per person.

    python -m tests.bench.bench_reminders [--people 100000] [--database sqlite|postgres]
                                          [--send-seconds 60] [--json out.json]

1. Scheduling. Everyone's next fire time from their local time, days and zone
   (bot.domain.reminders.schedule.next_fire), stored as pending rows of the reminders table with
   straight SQL on the migrated schema; against the naive design, one APScheduler 3 cron job
   per person in a (paused) AsyncIOScheduler, as a bot without the table would build at every
   start. Time and memory of each, and the lookup of one person's reminder by id.
2. The tick's claim: SqlReminderQueue.claim_due through SqlUnitOfWork at the due minute,
   batch after batch until all N are claimed (then put back to pending).
3. Sending: ReminderDispatcher.dispatch (reminder_tick claims and applies a chunk while
   senders renew, deliver and record the previous one) wave after wave, through the real
   PTB Bot built by build_application (SendLimiter at
   1/s per chat, 30/s in all) to the emulator enforcing the same limits, for a bounded time;
   then with both the limiter and the emulator's limits lifted: how fast the dispatcher alone
   goes. See tests/bench/reminders_send.py.

Everything runs in this process and event loop on loopback; the bot's clock is a ManualClock
set just after the due minute. Timings are never taken with tracemalloc on.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import apscheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.clock import ManualClock
from bot.app.wiring import Deps, build_deps
from bot.config.settings import Settings
from bot.domain.reminders.schedule import next_fire
from bot.emulator import FloodLimits
from bot.loaders.content import load_content
from bot.services.reminders import STALE_CLAIM
from storage.db import make_session_factory
from storage.reminder_sync import pending_reminder_rows
from tests.bench.bench_onboarding import fresh_database
from tests.bench.common import percentile, ratio, report_run
from tests.bench.reminders_memory import Memory, rss_measured, traced
from tests.bench.reminders_naive import add_jobs, job_id, mean_lookup_seconds, paused_scheduler
from tests.bench.reminders_people import (
    CHUNK,
    Plan,
    due_minute,
    insert_people,
    insert_reminders,
    plans,
    reminder_rows,
    server_version,
    status_counts,
    tidy,
    zone_counts,
)
from tests.bench.reminders_send import SendRun, send_run
from tests.bench.report import machine

Database = Literal["sqlite", "postgres"]
CLAIMER = "bench:claims"  # the worker name the claim measurement claims as
# Telegram's limits, as our limiter defaults to them and the emulator enforces them.
PER_CHAT_RATE, PER_CHAT_BURST, GLOBAL_RATE, GLOBAL_BURST = 1.0, 3, 30.0, 30
# "Lifted": our limiter as far as the settings allow, the emulator's flood control off.
LIFTED_PER_CHAT, LIFTED_GLOBAL = 100.0, 10_000.0
NAIVE_LOOKUPS = 10_000
TABLE_LOOKUPS = 200
WARMUP = 100  # people scheduled (and dropped) before each design is measured
SECONDS_AFTER_DUE = 5  # the bot's clock during claims and sends: just into the due minute


@dataclass
class Scheduling:
    """One design scheduling everyone's next reminder."""

    design: str
    people: int
    seconds: float
    per_person_us: float
    memory: Memory
    lookup_us: float
    lookups: int
    lookups_found: int
    not_at_due: int  # fire times that are not the due minute (should be 0)
    compute_seconds: float | None = None
    store_seconds: float | None = None


@dataclass
class SchedulingRatio:
    """Ours over naive (below 1: ours is faster or smaller)."""

    seconds: float
    traced_peak: float
    traced_kept: float
    rss_peak: float
    lookup: float


@dataclass
class Claims:
    """The tick's claim, batch after batch at the due minute, until nothing is left."""

    claimed: int
    batches: int
    batch_size: int
    seconds: float
    per_second: float
    claim_p50_ms: float
    claim_p95_ms: float
    claim_max_ms: float
    claim_first_ms: float
    claim_last_ms: float
    transaction_mean_ms: float
    empty_claim_ms: float


@dataclass
class BenchResult:
    """Everything one run of the benchmark measured."""

    people: int
    database: Database
    database_server: str
    due_minute: str
    zones: dict[str, int]
    setup_seconds: float
    ours: Scheduling
    naive: Scheduling
    ratio: SchedulingRatio
    claims: Claims
    limited: SendRun
    lifted: SendRun
    machine: dict[str, str | int | None] = field(default_factory=machine)
    run_seconds: float = 0.0


# 1. scheduling --------------------------------------------------------------------------------


def fire_times(people: Sequence[Plan], after: datetime) -> list[datetime]:
    """Everyone's next reminder, UTC (never None: everyone has at least one day)."""
    fires = []
    for plan in people:
        fire_at = next_fire(plan.local, plan.days, plan.zone, after)
        assert fire_at is not None
        fires.append(fire_at)
    return fires


async def _schedule_pass(engine: AsyncEngine, people: Sequence[Plan], person_ids: Sequence[int],
                         after: datetime, keep: bool) -> tuple[list[datetime], float, float]:
    """next_fire for everyone, then INSERTs of CHUNK rows: committed one by one (keep) or
    all in one transaction rolled back. The fire times, and seconds computing and storing."""
    started = time.perf_counter()
    fires = fire_times(people, after)
    computed = time.perf_counter()
    async with engine.connect() as connection:
        for start in range(0, len(people), CHUNK):
            if not connection.in_transaction():
                await connection.begin()
            await insert_reminders(connection, reminder_rows(person_ids[start:start + CHUNK],
                                                             fires[start:start + CHUNK]))
            if keep:
                await connection.commit()
        await connection.rollback()  # nothing left to roll back when kept
    return fires, computed - started, time.perf_counter() - computed


async def schedule_ours(deps: Deps, people: Sequence[Plan], person_ids: Sequence[int],
                        after: datetime, due: datetime) -> Scheduling:
    """A warm-up, the timed pass (RSS) that keeps the rows, a tracemalloc pass rolled back."""
    engine = deps.engine
    await _schedule_pass(engine, people[:WARMUP], person_ids[:WARMUP], after, keep=False)
    memory = Memory()
    with rss_measured(memory):
        fires, compute, store = await _schedule_pass(engine, people, person_ids, after,
                                                     keep=True)
        not_at_due = sum(1 for fire_at in fires if fire_at != due)
        del fires
    with traced(memory):
        await _schedule_pass(engine, people, person_ids, after, keep=False)
    await tidy(engine)
    lookup, found = await table_lookup_seconds(deps, person_ids)
    seconds = compute + store
    return Scheduling(design="reminders table", people=len(people), seconds=seconds,
                      per_person_us=seconds / len(people) * 1e6, memory=memory,
                      lookup_us=lookup * 1e6, lookups=min(TABLE_LOOKUPS, len(person_ids)),
                      lookups_found=found, not_at_due=not_at_due, compute_seconds=compute,
                      store_seconds=store)


async def table_lookup_seconds(deps: Deps, person_ids: Sequence[int]) -> tuple[float, int]:
    """Mean seconds to load one person's pending reminders, each in its own transaction.

    The counterpart of get_job: what a settings change reads (storage.reminder_sync).
    """
    sessions = make_session_factory(deps.engine)
    chosen = random.Random(7).sample(list(person_ids), min(TABLE_LOOKUPS, len(person_ids)))
    found = 0
    started = time.perf_counter()
    for person_id in chosen:
        async with sessions() as session, session.begin():
            if await pending_reminder_rows(session, person_id):
                found += 1
    return (time.perf_counter() - started) / max(1, len(chosen)), found


async def schedule_naive(people: Sequence[Plan], due: datetime) -> Scheduling:
    """A warm-up, the timed pass (RSS) and its get_job lookups, then a tracemalloc pass."""
    warmup = paused_scheduler()
    add_jobs(warmup, people[:WARMUP])
    warmup.shutdown(wait=False)
    del warmup
    memory = Memory()
    with rss_measured(memory):
        started = time.perf_counter()
        scheduler = paused_scheduler()
        add_jobs(scheduler, people)
        seconds = time.perf_counter() - started
    try:
        rng = random.Random(7)
        ids = [job_id(people[rng.randrange(len(people))]) for _ in range(NAIVE_LOOKUPS)]
        lookup, found = mean_lookup_seconds(scheduler, ids)
        jobs = scheduler.get_jobs()
        not_at_due = sum(1 for job in jobs if job.next_run_time != due) + len(people) - len(jobs)
        del jobs
    finally:
        scheduler.shutdown(wait=False)
    del scheduler
    with traced(memory):
        scheduler = paused_scheduler()
        add_jobs(scheduler, people)
    scheduler.shutdown(wait=False)
    del scheduler
    return Scheduling(design="APScheduler job per person", people=len(people), seconds=seconds,
                      per_person_us=seconds / len(people) * 1e6, memory=memory,
                      lookup_us=lookup * 1e6, lookups=len(ids), lookups_found=found,
                      not_at_due=not_at_due)


def compare(ours: Scheduling, naive: Scheduling) -> SchedulingRatio:
    """Ours over naive for each figure both have."""

    def of(mine: float | None, theirs: float | None) -> float:
        return math.nan if mine is None or theirs is None else ratio(mine, theirs)

    return SchedulingRatio(
        seconds=ratio(ours.seconds, naive.seconds),
        traced_peak=of(ours.memory.traced_peak, naive.memory.traced_peak),
        traced_kept=of(ours.memory.traced_kept, naive.memory.traced_kept),
        rss_peak=of(ours.memory.rss_peak, naive.memory.rss_peak),
        lookup=ratio(ours.lookup_us, naive.lookup_us))


# 2. the tick's claim --------------------------------------------------------------------------


async def measure_claims(deps: Deps, now: datetime, people: int) -> Claims:
    """Claim batch after batch, each in its own unit of work as reminder_tick does."""
    claim_seconds: list[float] = []
    transaction_seconds: list[float] = []
    claimed = batch_size = 0
    empty = math.nan
    started = time.perf_counter()
    for _ in range(people + 2):  # bounded: every batch but the last claims at least one
        began = time.perf_counter()
        async with deps.unit_of_work() as uow:
            await uow.reminders.release_stale_claims(now - STALE_CLAIM)
            before = time.perf_counter()
            batch = await uow.reminders.claim_due(now, CLAIMER)
            after = time.perf_counter()
            await uow.commit()
        if not batch:
            empty = after - before
            break
        claim_seconds.append(after - before)
        transaction_seconds.append(time.perf_counter() - began)
        claimed += len(batch)
        batch_size = max(batch_size, len(batch))
    seconds = time.perf_counter() - started
    ordered = sorted(claim_seconds)
    return Claims(
        claimed=claimed, batches=len(claim_seconds), batch_size=batch_size, seconds=seconds,
        per_second=ratio(claimed, seconds), claim_p50_ms=percentile(ordered, 50) * 1000,
        claim_p95_ms=percentile(ordered, 95) * 1000,
        claim_max_ms=(ordered[-1] if ordered else 0.0) * 1000,
        claim_first_ms=(claim_seconds[0] if claim_seconds else 0.0) * 1000,
        claim_last_ms=(claim_seconds[-1] if claim_seconds else 0.0) * 1000,
        transaction_mean_ms=(statistics.fmean(transaction_seconds) * 1000
                             if transaction_seconds else 0.0),
        empty_claim_ms=empty * 1000)


# the whole run --------------------------------------------------------------------------------


async def run_benchmark(people: int = 100_000, database: Database = "sqlite",
                        send_seconds: float = 60.0) -> BenchResult:
    """Set up N people, then measure scheduling, claims and sending; raises PostgresUnavailable."""
    started = time.perf_counter()
    content = load_content()
    scheduled_at = datetime.now(UTC)
    due = due_minute(scheduled_at)
    now = due + timedelta(seconds=SECONDS_AFTER_DUE)
    population = plans(people, due)
    exercises = [exercise.id for exercise in content.catalog.exercises]
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-") as folder:
        async with fresh_database(database, Path(folder)) as url:
            settings = Settings(database_url=url, rate_limit_per_chat=PER_CHAT_RATE,
                                rate_limit_global=GLOBAL_RATE)
            deps = build_deps(settings, clock=ManualClock(now), content=content)
            try:
                server = await server_version(deps.engine)
                began = time.perf_counter()
                person_ids = await insert_people(deps.engine, population, exercises,
                                                 scheduled_at)
                await tidy(deps.engine)
                setup = time.perf_counter() - began
                ours = await schedule_ours(deps, population, person_ids, scheduled_at, due)
                del person_ids
                naive = await schedule_naive(population, due)
                gc.collect()
                claims = await measure_claims(deps, now, people)
                limited = await send_run("limited", deps, people, due, now, send_seconds,
                                         PER_CHAT_RATE, GLOBAL_RATE,
                                         FloodLimits(PER_CHAT_RATE, PER_CHAT_BURST,
                                                     GLOBAL_RATE, GLOBAL_BURST))
                lifted = await send_run("lifted", deps, people, due, now, send_seconds,
                                        LIFTED_PER_CHAT, LIFTED_GLOBAL, None)
                statuses = await status_counts(deps.engine, due)
            finally:
                await deps.close()
    if sum(statuses.values()) != people:
        raise AssertionError(f"expected {people} due reminders, found {statuses}")
    return BenchResult(
        people=people, database=database, database_server=server,
        due_minute=due.strftime("%Y-%m-%d %H:%M UTC"), zones=zone_counts(population),
        setup_seconds=setup, ours=ours, naive=naive, ratio=compare(ours, naive),
        claims=claims, limited=limited, lifted=lifted,
        machine={**machine(), "apscheduler": apscheduler.__version__,
                 "memory_gib": _memory_gib()},
        run_seconds=time.perf_counter() - started)


def _memory_gib() -> int | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    except (OSError, ValueError, AttributeError):
        return None


# the report -----------------------------------------------------------------------------------


def _num(value: float | None, unit: str, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:,.{digits}f} {unit}".strip()


def _times(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.3f}x" if value < 0.1 else f"{value:.2f}x"


def scheduling_table(result: BenchResult) -> str:
    """Ours and naive side by side, with ours/naive."""
    ours, naive, r = result.ours, result.naive, result.ratio
    om, nm = ours.memory, naive.memory
    rows: list[tuple[str, str, str, str]] = [
        ("time to schedule everyone", _num(ours.seconds, "s", 2), _num(naive.seconds, "s", 2),
         _times(r.seconds)),
        ("  of which next_fire for all", _num(ours.compute_seconds, "s", 2), "-", ""),
        (f"  of which INSERTs ({CHUNK:,} rows each)", _num(ours.store_seconds, "s", 2), "-",
         ""),
        ("per person", _num(ours.per_person_us, "us"), _num(naive.per_person_us, "us"),
         _times(r.seconds)),
        ("peak Python memory (tracemalloc)", _num(om.traced_peak, "MiB"),
         _num(nm.traced_peak, "MiB"), _times(r.traced_peak)),
        ("Python memory kept after", _num(om.traced_kept, "MiB"), _num(nm.traced_kept, "MiB"),
         _times(r.traced_kept)),
        ("peak RSS growth", _num(om.rss_peak, "MiB"), _num(nm.rss_peak, "MiB"),
         _times(r.rss_peak)),
        ("RSS growth kept after", _num(om.rss_kept, "MiB"), _num(nm.rss_kept, "MiB"), ""),
        ("one person's reminder by id", _num(ours.lookup_us, "us"),
         _num(naive.lookup_us, "us", 2), _times(r.lookup)),
        ("fire times not at the due minute", str(ours.not_at_due), str(naive.not_at_due), ""),
    ]
    head = ("Scheduling", "reminders table", "APScheduler job each", "ours/naive")
    return _table(head, rows)


def send_table(runs: Sequence[SendRun]) -> str:
    """One row per sending run."""
    head = ("run", "seconds", "sent", "msg/s", "paced", "429s", "retries", "claimed",
            "unsent")
    rows = [(run.label, _num(run.elapsed_seconds, "", 1), str(run.messages),
             _num(run.per_second, "", 1),
             _num(run.paced_per_second, "", 1), str(run.http_429), str(run.limiter_retries),
             str(run.claimed), str(run.claimed_unsent)) for run in runs]
    return _table(head, rows)


def where_time_went(runs: Sequence[SendRun]) -> str:
    """Per function the dispatcher calls: calls, ms each and seconds in all, for each run."""
    names = list(dict.fromkeys(name for run in runs for name in run.seconds_in))
    head = ("function", *(f"{run.label} {column}" for run in runs
                          for column in ("calls", "ms each", "s")))
    rows = [(name, *(cell for run in runs for cell in (
        str(run.calls.get(name, 0)), _num(run.ms_each.get(name), "", 2),
        _num(run.seconds_in.get(name), "", 2)))) for name in names]
    return _table(head, rows)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(row[i])) for row in (head, *rows)) for i in range(len(head))]
    first = widths[0]

    def line(row: Sequence[str]) -> str:
        return "  ".join([f"{row[0]:<{first}}",
                          *(f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:],
                                                                     strict=True))]).rstrip()

    return "\n".join([line(head), "-" * len(line(head)), *(line(row) for row in rows)])


def _indent(text: str) -> str:
    return "\n".join("   " + line for line in text.splitlines())


def problems(result: BenchResult) -> list[str]:
    """What went wrong or looks wrong; [] when nothing."""
    lines = []
    for design in (result.ours, result.naive):
        if design.not_at_due:
            lines.append(f"{design.design}: {design.not_at_due} fire times not at the due minute")
        if design.lookups_found != design.lookups:
            lines.append(f"{design.design}: {design.lookups - design.lookups_found} of "
                         f"{design.lookups} lookups found nothing")
    if result.claims.claimed != result.people:
        lines.append(f"claims: {result.claims.claimed} claimed of {result.people} due")
    for run in (result.limited, result.lifted):
        if not run.messages:
            lines.append(f"{run.label}: nothing sent in {run.elapsed_seconds:.1f} s: the ticks "
                         f"spent {run.seconds_in.get('reminder_tick', 0.0):.1f} s claiming and "
                         f"applying {run.claimed} reminders first (a longer --send-seconds "
                         "gets past them)")
        if run.http_429:
            lines.append(f"{run.label}: the emulator answered {run.http_429} sends with 429 "
                         f"(our limiter retried {run.limiter_retries} times)")
        others = {call: n for call, n in run.api_errors.items() if not call.endswith(" 429")}
        if others:
            lines.append(f"{run.label}: Bot API errors: {others}")
        if run.messages != run.sent:
            lines.append(f"{run.label}: the emulator accepted {run.messages} messages, the "
                         f"database says {run.statuses}")
        if run.log_warnings:
            lines.append(f"{run.label}: {run.log_warnings} log records at WARNING or worse:")
            lines += [f"  {count} x {kind}" for kind, count in run.log_kinds.items()]
            lines += [f"    e.g. {sample}" for sample in run.log_samples]
    return lines


def report(result: BenchResult) -> str:
    """The printed summary: three tables, the machine, and anything that went wrong."""
    m, c = result.machine, result.claims
    zones = ", ".join(f"{name} {count}" for name, count in result.zones.items())
    limited, lifted = result.limited, result.lifted
    lines = [
        f"Reminder benchmark: {result.people:,} people, every daily reminder due at "
        f"{result.due_minute}, on {result.database_server}",
        f"Time zones: {zones}",
        f"Set-up, not measured: {result.people:,} onboarded people (person, conversation, "
        f"program rows) written in {result.setup_seconds:.1f} s",
        "",
        "1. Scheduling everyone's next reminder (ours: next_fire + INSERT into reminders; "
        "naive: one CronTrigger job per person in a paused AsyncIOScheduler)",
        scheduling_table(result),
        f"   Timed with tracemalloc off; memory from a separate pass under tracemalloc (ours "
        f"rolled back); RSS from the timed pass, indicative only (the allocator reuses what "
        f"earlier steps freed). Lookup: ours loads one person's pending "
        f"reminders in its own transaction ({result.ours.lookups} people), naive is "
        f"get_job ({result.naive.lookups:,} ids).",
        "",
        f"2. The tick's claim at the due minute (SqlReminderQueue.claim_due in a SqlUnitOfWork, "
        f"{c.batch_size} a batch)",
        f"   {c.claimed:,} claimed in {c.batches} batches, {c.seconds:.2f} s in all "
        f"({c.per_second:,.0f} reminders/s)",
        f"   claim_due per batch: p50 {c.claim_p50_ms:.1f} ms, p95 {c.claim_p95_ms:.1f} ms, "
        f"max {c.claim_max_ms:.1f} ms (first {c.claim_first_ms:.1f} ms, last "
        f"{c.claim_last_ms:.1f} ms); whole transaction mean {c.transaction_mean_ms:.1f} ms; "
        f"the final empty claim {c.empty_claim_ms:.1f} ms",
        "",
        f"3. Sending for {limited.seconds_asked:g} s a run (ReminderDispatcher.dispatch: claims "
        "overlap sends; the real Application's Bot, emulator on loopback)",
        send_table([limited, lifted]),
        f"   limited: our limiter {limited.limiter}; emulator {limited.emulator_limits}",
        f"   lifted:  our limiter {lifted.limiter}; emulator {lifted.emulator_limits}",
        "   msg/s: messages the emulator accepted / run time, claims included; paced: msg/s "
        "while the global limit paced sends (bursts and pauses left out); unsent: claimed "
        "and not sent when time was up",
        "   Where the time went (ms each: reminder_tick per reminder it claimed, the others "
        "per call; claims and sends overlap):",
        _indent(where_time_went([limited, lifted])),
        f"   lifted / limited: {_times(ratio(lifted.per_second, limited.per_second))} messages "
        f"per second; the limiter slept {limited.limiter_waited_seconds:.1f} s in the limited "
        "run" + ("; the lifted run sent everything due before its time was up"
                 if lifted.drained else ""),
        "",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m.get('memory_gib')} GiB, Python "
        f"{m['python']}, {m['platform']}, python-telegram-bot {m['python_telegram_bot']}, "
        f"APScheduler {m.get('apscheduler')}, SQLAlchemy {m['sqlalchemy']}, source "
        f"{m['source']}",
        f"Benchmark run time: {result.run_seconds:.1f} s (set-up included)",
    ]
    trouble = problems(result)
    if trouble:
        lines += ["", "Problems seen:", *trouble]
    return "\n".join(lines)


# command line ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_reminders",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000,
                        help="people whose reminder falls in the same minute")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--send-seconds", type=float, default=60.0,
                        help="how long each sending run lasts (limited, then lifted); at "
                             "100,000 people one tick can take over 20 s before it sends")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.people < 1 or not 0 < args.send_seconds <= 600:
        parser.error("--people must be at least 1 and --send-seconds in (0, 600]")
    return args


def figures(result: BenchResult) -> dict[str, Any]:
    """The result as JSON-ready data (NaN written as NaN, as json allows by default)."""
    data = asdict(result)
    for run in ("limited", "lifted"):
        data[run]["ms_each"] = getattr(result, run).ms_each
    return {"benchmark": "reminders", **data}


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print the report, optionally write JSON; 2 when PostgreSQL is unreachable."""
    args = parse_args(argv)
    return report_run(run_benchmark(args.people, args.database, args.send_seconds), args.json,
                      report, figures, lambda result: bool(problems(result)))


if __name__ == "__main__":
    sys.exit(main())
