"""Benchmark: a normal person's reply while another person's big export is being drawn.

    python -m tests.bench.bench_documents [--ratings 20000] [--replies 0] [--database sqlite]
                                          [--json out.json]

One real bot (in this process, real HTTP against the emulator, a fresh database). Ana has
a long history (`--ratings` pain ratings over a year); Ben sends /help again and again,
one at a time, and each reply's time is measured. Three runs, in the same process:

- idle: nobody exports (Ben's /help alone, `--replies` times, or 20);
- before: Ana's /export drawn in a thread of the bot's own process, as before this change
  (asyncio.to_thread: the drawing holds the interpreter's lock);
- after: the same export drawn in a worker process (bot/render_pool.py, one worker).

During before/after Ben keeps asking until Ana's PDF has arrived. Printed: p50/p99/max of
Ben's reply time per run, how long the export took, and the ratio before/after of Ben's
p99 (and of each to idle).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import insert, select

from bot.app.runner import running_bot
from bot.app.wiring import Deps, build_deps
from bot.config.settings import Settings
from bot.emulator import Emulator, TestUser
from bot.export.render_pool import DocumentRenderer
from storage.migrate import upgrade_to_head
from storage.models import PainRatingRow, PersonRow
from tests.bench.common import PostgresUnavailable, percentile, ratio, report_run
from tests.bench.report import machine
from tests.storage.databases import (
    drop_postgres_database,
    postgres_database_url,
    postgres_unavailable_reason,
    sqlite_database_url,
)

Database = Literal["sqlite", "postgres"]
TOKEN = "987654321:BENCH-token-for-the-emulator-abcdefghij"
T = TypeVar("T")
IDLE_REPLIES = 20


class ThreadRenderer(DocumentRenderer):
    """The baseline: drawing in a thread of the bot's own process, as files.py did before."""

    async def run(self, what: str, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)


@dataclass
class Run:
    """Ben's reply times during one run, and how long Ana's export took (0: no export)."""

    name: str
    replies_ms: list[float] = field(default_factory=list)
    export_seconds: float = 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(sorted(self.replies_ms), 50)

    @property
    def p99_ms(self) -> float:
        return percentile(sorted(self.replies_ms), 99)

    @property
    def max_ms(self) -> float:
        return max(self.replies_ms, default=0.0)


@dataclass
class Result:
    """The three runs and the ratios of Ben's p99."""

    ratings: int
    database: str
    idle: Run
    before: Run
    after: Run
    p99_before_over_after: float
    p99_before_over_idle: float
    p99_after_over_idle: float
    machine: dict[str, Any]


async def onboard(user: TestUser) -> None:
    """The happy path with buttons."""
    await user.send_and_wait("/start", contains="I understand", timeout=60)
    await user.press_and_wait("I understand", contains="Which country", timeout=60)
    await user.press_and_wait("Portugal", contains="Which exercises", timeout=60)
    await user.press_and_wait("All 5", contains="Which exercises", timeout=60)
    await user.press_and_wait("Done", contains="Here is your program", timeout=60)
    await user.press_and_wait("These are right", contains="safety rules", timeout=60)
    await user.press_and_wait("Got it", timeout=60)


async def give_history(deps: Deps, user: TestUser, ratings: int) -> None:
    """`ratings` pain ratings spread over the last year, written straight into the table."""
    now = datetime.now(UTC)
    async with deps.engine.begin() as connection:
        person_id = (await connection.execute(select(PersonRow.id).where(
            PersonRow.telegram_user_id == user.user_id))).scalar_one()
        step = timedelta(days=365) / max(ratings, 1)
        rows = [{"person_id": person_id, "at": now - step * (ratings - n), "rating": n % 11,
                 "moment": ("checkin", "before", "after")[n % 3], "location": None,
                 "exercise_id": None} for n in range(ratings)]
        for start in range(0, len(rows), 1000):
            await connection.execute(insert(PainRatingRow), rows[start:start + 1000])


async def help_time(ben: TestUser) -> float:
    """Milliseconds from Ben's /help to its answer."""
    started = time.perf_counter()
    await ben.send_and_wait("/help", contains="What I can do", timeout=120)
    return (time.perf_counter() - started) * 1000


async def during_export(name: str, ana: TestUser, ben: TestUser, minimum: int) -> Run:
    """Ben asks while Ana's export is drawn, until her PDF has arrived (at least `minimum`)."""
    run = Run(name)
    minimum = max(minimum, 1)
    pdfs = len([d for d in ana.documents if (d.filename or "").endswith(".pdf")])
    started = time.perf_counter()
    await ana.send("/export")
    while True:
        done = len([d for d in ana.documents if (d.filename or "").endswith(".pdf")]) > pdfs
        if done and not run.export_seconds:
            run.export_seconds = time.perf_counter() - started
        if done and len(run.replies_ms) >= minimum:
            return run
        run.replies_ms.append(await help_time(ben))


async def run_benchmark(ratings: int = 20000, database: Database = "sqlite",
                        replies: int = 0) -> Result:
    """Set up Ana and Ben, then measure idle, before and after."""
    with tempfile.TemporaryDirectory() as folder:
        url = sqlite_database_url(Path(folder)) if database == "sqlite" else \
            await postgres_database_url()
        if url is None:
            raise PostgresUnavailable(postgres_unavailable_reason())
        try:
            await asyncio.to_thread(upgrade_to_head, url)
            return await _measure(url, ratings, database, replies)
        finally:
            if database == "postgres":
                await drop_postgres_database(url)


async def _measure(url: str, ratings: int, database: Database, replies: int) -> Result:
    emulator = Emulator(limits=None)
    await emulator.start()
    settings = Settings(database_url=url, rate_limit_per_chat=100.0,
                        rate_limit_global=10_000.0, document_cooldown_seconds=0,
                        render_timeout_seconds=600)
    deps = build_deps(settings)
    try:
        async with running_bot(deps, TOKEN, emulator.base_url, poll_timeout=1):
            ana, ben = emulator.user("Ana"), emulator.user("Ben")
            await onboard(ana)
            await onboard(ben)
            await give_history(deps, ana, ratings)
            idle = Run("idle", [await help_time(ben) for _ in range(replies or IDLE_REPLIES)])
            process = deps.renderer
            await process.run("warm", pow, 1, 1)  # the worker is up, as in a running bot
            deps.renderer = ThreadRenderer()
            before = await during_export("before: in a thread", ana, ben, replies)
            deps.renderer = process
            after = await during_export("after: in a worker process", ana, ben, replies)
    finally:
        await deps.close()
        await emulator.stop()
    return Result(ratings, database, idle, before, after,
                  ratio(before.p99_ms, after.p99_ms), ratio(before.p99_ms, idle.p99_ms),
                  ratio(after.p99_ms, idle.p99_ms), machine())


def report(result: Result) -> str:
    """The figures as text."""
    head = f"{'run':<28}{'replies':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'export s':>10}"
    lines = [f"Ben's /help while Ana's /export ({result.ratings} pain ratings) is drawn, "
             f"{result.database}", head, "-" * len(head)]
    for run in (result.idle, result.before, result.after):
        lines.append(f"{run.name:<28}{len(run.replies_ms):>8}{run.p50_ms:>10.1f}"
                     f"{run.p99_ms:>10.1f}{run.max_ms:>10.1f}{run.export_seconds:>10.2f}")
    lines.append(f"p99 before / after: {result.p99_before_over_after:.1f}x; "
                 f"before / idle: {result.p99_before_over_idle:.1f}x; "
                 f"after / idle: {result.p99_after_over_idle:.1f}x")
    return "\n".join(lines)


def figures(result: Result) -> dict[str, Any]:
    """The JSON: every field, each run's percentiles, and which benchmark it is."""
    data = asdict(result)
    for key in ("idle", "before", "after"):
        run = getattr(result, key)
        data[key].update(p50_ms=run.p50_ms, p99_ms=run.p99_ms, max_ms=run.max_ms)
    return {"benchmark": "documents", **data}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ratings", type=int, default=20000)
    parser.add_argument("--replies", type=int, default=0,
                        help="Ben's replies at least per run (0: as many as the export lasts)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run it, print the figures, write the JSON if asked."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return report_run(run_benchmark(args.ratings, args.database, args.replies), args.json,
                      report, figures, lambda result: False)


if __name__ == "__main__":
    sys.exit(main())
