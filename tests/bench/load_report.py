"""The load benchmark's figures as printable text: tables, ratios, machine, problems."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.bench.load_figures import Latency, LoadRun

if TYPE_CHECKING:
    from tests.bench.bench_load import BenchResult


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """First column left-aligned, the others right-aligned, a rule under the head."""
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]

    def line(row: Sequence[str]) -> str:
        cells = [f"{row[0]:<{widths[0]}}",
                 *(f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True))]
        return "  ".join(cells).rstrip()

    return "\n".join([line(head), "-" * len(line(head)), *(line(row) for row in rows)])


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _times(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}x"


def runs_table(runs: Sequence[LoadRun]) -> str:
    """One row per bot: volume, throughput, latency and what went wrong."""
    head = ("bot", "people", "actions", "wall s", "actions/s", "updates/s", "API calls/s",
            "p50 ms", "p90 ms", "p99 ms", "max ms", "lost", "wrong", "errors")
    rows = []
    for run in runs:
        lat = run.latency
        errors = run.log_warnings + sum(run.api_errors.values())
        rows.append((run.bot, str(run.people), f"{run.actions:,}", f"{run.wall_seconds:.1f}",
                     f"{run.actions_per_second:.1f}", f"{run.updates_per_second:.1f}",
                     f"{run.api_calls_per_second:.1f}", _ms(lat.p50_ms), _ms(lat.p90_ms),
                     _ms(lat.p99_ms), _ms(lat.max_ms), str(run.lost_answers),
                     str(run.wrong_replies), str(errors)))
    return _table(head, rows)


def activity_table(run: LoadRun) -> str:
    """Latency per kind of activity, for one bot."""
    head = ("activity", "actions", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms")

    def row(name: str, lat: Latency) -> tuple[str, ...]:
        return (name, f"{lat.count:,}", _ms(lat.p50_ms), _ms(lat.p90_ms), _ms(lat.p99_ms),
                _ms(lat.max_ms), _ms(lat.mean_ms))

    rows = [row(name, lat) for name, lat in run.by_activity.items() if lat.count]
    return _table(head, [*rows, row("all", run.latency)])


def resources_line(run: LoadRun) -> str:
    """CPU and memory of the bot's process, and of the benchmark's own (emulator and crowd)."""
    def cores(seconds: float) -> str:
        return f"{seconds / run.wall_seconds:.2f}" if run.wall_seconds else "-"

    polls = run.api_calls.get("getUpdates", 0)
    batch = f"{run.updates / polls:.1f}" if polls else "-"
    return (f"{run.bot}: its process used {run.cpu_seconds:.0f} s of CPU in "
            f"{run.wall_seconds:.0f} s ({cores(run.cpu_seconds)} cores), peak RSS "
            f"{run.max_rss_mib:,.0f} MiB; {polls:,} getUpdates calls, {batch} updates each on "
            f"average; the emulator and crowd {cores(run.crowd_cpu_seconds)} cores, their "
            f"event-loop lag p99 {_ms(run.loop_lag_p99_ms)} ms, max {_ms(run.loop_lag_max_ms)} ms")


def problems(run: LoadRun) -> list[str]:
    """Lines describing lost answers, wrong replies, API errors and warnings (none: [])."""
    lines: list[str] = []
    if run.stopped_people:
        lines.append(f"{run.bot}: {run.lost_answers} lost answers and {run.wrong_replies} "
                     f"wrong replies stopped {run.stopped_people} people, e.g.:")
        lines += [f"  {error}" for error in run.errors]
    if run.api_errors:
        counts = ", ".join(f"{count} x {call}" for call, count in run.api_errors.items())
        lines.append(f"{run.bot}: Bot API calls answered with an error status: {counts}")
    if run.updates_unconfirmed:
        lines.append(f"{run.bot}: {run.updates_unconfirmed} of {run.updates} updates not "
                     "confirmed by the bot when the run ended")
    if run.log_warnings:
        lines.append(f"{run.bot}: {run.log_warnings} log records at WARNING or worse:")
        lines += [f"  {count} x {kind}" for kind, count in run.log_kinds.items()]
        lines.append("  first example of each kind:")
        lines += [f"    {sample}" for sample in run.log_samples]
    if not run.actions:
        lines.append(f"{run.bot}: no action was answered")
    return lines


def report(result: BenchResult) -> str:
    """The printed summary."""
    config, m, r = result.config, result.machine, result.ratio
    back, echo = result.backcoach, result.echo
    mix = ", ".join(f"{name} {weight:g}" for name, weight in config.mix.items())
    waited = back.limiter_waited_seconds
    lines = [
        f"Load benchmark: {config.people:,} people chatting at once for {config.minutes:g} min "
        f"per bot, Backcoach on {result.database_server}, up to {result.concurrency} updates "
        "in flight per bot",
        f"Each person onboards, then picks activities at random (weights: {mix}; seed "
        f"{config.seed}), pausing {config.think_min:g}-{config.think_max:g} s before every "
        f"send or press; a reply missing after {config.timeout:g} s is a lost answer",
        f"Rate limits lifted so they do not dominate: {result.limits}",
        "Each bot runs as its own process (as in production), the emulator and the crowd in "
        "the benchmark's",
        "",
        runs_table([back, echo]),
        "",
        "Backcoach by activity (latency: send or press to the reply the person waits for):",
        activity_table(back),
        "",
        f"Backcoach / echo: actions/s {_times(r.actions_per_second)}, p50 latency "
        f"{_times(r.p50)}, p90 {_times(r.p90)}, p99 {_times(r.p99)}",
        "actions/s: answered sends and presses / wall time (people stop starting actions "
        "when time is up, the last replies still count); updates/s: updates the bot "
        "confirmed / wall time; API calls/s: the bot's calls other than getUpdates",
        resources_line(back),
        resources_line(echo),
        f"Backcoach limiter slept {waited or 0.0:.3f} s in total during the measured run",
        f"Machine: {m['cpu_count']} CPUs ({m['cpu']}), {m.get('memory_gib')} GiB, Python "
        f"{m['python']}, {m['platform']}, python-telegram-bot {m['python_telegram_bot']}, "
        f"SQLAlchemy {m['sqlalchemy']}, source {m['source']}",
        f"Benchmark run time: {result.run_seconds:.1f} s (set-up, warm-up and both runs)",
    ]
    trouble = problems(back) + problems(echo)
    if trouble:
        lines += ["", "Problems seen:", *trouble]
    verdict = ("FAILED: answers lost, wrong replies or errors (see above)" if result.failed
               else "OK: every action answered, no errors")
    return "\n".join([*lines, "", f"Result: {verdict}"])
