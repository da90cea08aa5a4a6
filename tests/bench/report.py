"""What a benchmark run was measured on, and its figures as printable text."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy
import telegram

from tests.bench.common import RunResult


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
        where = ", ".join(f"{count} at {step}" for step, count in result.failures_by_step.items())
        lines.append(f"{result.bot}: {result.failed_people} people did not finish ({where}), "
                     "e.g.:")
        lines += [f"  {error}" for error in result.errors]
    if result.api_errors:
        counts = ", ".join(f"{count} x {call}" for call, count in result.api_errors.items())
        lines.append(f"{result.bot}: Bot API calls answered with an error status: {counts}")
    if result.log_warnings:
        lines.append(f"{result.bot}: {result.log_warnings} log records at WARNING or worse:")
        lines += [f"  {count} x {kind}" for kind, count in result.log_kinds.items()]
        lines.append("  first example of each kind:")
        lines += [f"    {sample}" for sample in result.log_samples]
    return lines
