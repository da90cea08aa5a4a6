"""Run every benchmark in tests/bench and write their figures into one Markdown file.

    python -m tests.bench.run_all [--quick] [--out bench-results.md] [--only NAME ...]
                                  [--database sqlite|postgres]

Every tests/bench/bench_*.py is found by name and run as its own process (one after the
other, so they never share the CPU) with its standard arguments, on SQLite and on
PostgreSQL when it takes --database, and with --json so its figures can be collected.
--quick (or --scale quick) uses small scales for a fast check; --scale tiny is for the
smoke test. A benchmark this file does not know is run with --json and nothing else, at
every scale: give it its scales in KNOWN (the smoke test runs every benchmark at tiny).
Exit status: 0 when every benchmark succeeded or was skipped (PostgreSQL unreachable: its
status 2), 1 otherwise; the file is written either way.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.bench_load import describe_machine
from tests.bench.run_all_summary import headline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATABASES = ("sqlite", "postgres")
SCALES = ("full", "quick", "tiny")
UNREACHABLE = 2  # what a benchmark exits with when PostgreSQL is unreachable (and says so)
# Arguments per known benchmark and scale; full is each script's own defaults.
KNOWN: dict[str, dict[str, list[str]]] = {
    "bench_onboarding": {"full": [], "quick": ["--people", "50", "--warmup", "2"],
                         "tiny": ["--people", "3", "--warmup", "1", "--timeout", "20"]},
    "bench_reminders": {"full": [], "quick": ["--people", "2000", "--send-seconds", "15"],
                        "tiny": ["--people", "60", "--send-seconds", "2"]},
    "bench_load": {"full": ["--people", "1000", "--minutes", "3"],
                   "quick": ["--people", "100", "--minutes", "0.5"],
                   "tiny": ["--people", "3", "--minutes", "0.05", "--think", "0.05", "0.2",
                            "--warmup", "1", "--timeout", "20"]},
    "bench_triage": {"full": [], "quick": ["--rounds", "2"], "tiny": ["--rounds", "1",
                                                                    "--long", "2"]},
    "bench_export": {"full": [], "quick": ["--rounds", "1"],
                     "tiny": ["--records", "2000", "--baseline", "50", "--rounds", "1"]},
    "bench_documents": {"full": [], "quick": ["--ratings", "2000"],
                        "tiny": ["--ratings", "30", "--replies", "2"]},
    # Tiny runs measure too little for a p99 to mean anything: no target there.
    "bench_flood": {"full": [], "quick": ["--people", "20", "--seconds", "20"],
                    "tiny": ["--people", "3", "--seconds", "3", "--think", "0.05", "0.2",
                             "--messages", "30", "--presses", "10", "--warmup", "1",
                             "--timeout", "20", "--max-ratio", "0"]},
    # Always on PostgreSQL (replicas need it), whatever --database says.
    "bench_replicas": {"full": ["--people", "1000", "--minutes", "3"],
                       "quick": ["--people", "100", "--minutes", "0.5"],
                       "tiny": ["--people", "3", "--minutes", "0.05", "--think", "0.05", "0.2",
                                "--warmup", "1", "--timeout", "20"]},
}
TAKES_DATABASE = frozenset(KNOWN) - {"bench_triage", "bench_export", "bench_replicas"}


@dataclass(frozen=True)
class Run:
    """One benchmark process to start: which script, on which database, with what."""

    name: str
    database: str | None
    args: tuple[str, ...]

    @property
    def title(self) -> str:
        """The section heading."""
        return f"{self.name} ({self.database})" if self.database else self.name

    def command(self, json_path: Path) -> list[str]:
        """The command line, with --json pointing at json_path."""
        database = ["--database", self.database] if self.database else []
        return [sys.executable, "-m", f"tests.bench.{self.name}", *self.args, *database,
                "--json", str(json_path)]


@dataclass
class Outcome:
    """What one benchmark process did."""

    run: Run
    command: list[str]
    code: int | None  # None: killed after the timeout
    seconds: float
    stdout: str
    stderr: str
    data: dict[str, Any] | None

    @property
    def status(self) -> str:
        """ok, FAILED, skipped or TIMED OUT."""
        if self.code is None:
            return "TIMED OUT"
        if self.code == 0:
            return "ok"
        # Exit status 2 is also argparse's for a bad command line: read what was said.
        skipped = self.code == UNREACHABLE and "PostgreSQL is unreachable" in self.stderr
        return "skipped" if skipped else "FAILED"


def discover(folder: Path = HERE) -> list[str]:
    """The module names of every bench_*.py in folder: the known ones first, in KNOWN's order,
    then the others by name."""
    names = [path.stem for path in folder.glob("bench_*.py") if path.is_file()]
    known = list(KNOWN)
    return sorted(names, key=lambda name: (known.index(name) if name in known else len(known),
                                           name))


def plan_runs(names: Sequence[str], scale: str, databases: Sequence[str]) -> list[Run]:
    """The processes to start, in order: each benchmark on each database it takes."""
    runs = []
    for name in names:
        args = tuple(KNOWN.get(name, {}).get(scale, []))
        if name in TAKES_DATABASE:
            runs += [Run(name, database, args) for database in databases]
        else:
            runs.append(Run(name, None, args))
    return runs


def execute(run: Run, folder: Path, timeout: float) -> Outcome:
    """Start the benchmark, wait for it (up to timeout seconds) and read its JSON."""
    json_path = folder / f"{run.name}-{run.database or 'default'}.json"
    command = run.command(json_path)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, check=False)
        code, stdout, stderr = done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as exc:
        code = None
        stdout = _text(exc.stdout)
        stderr = _text(exc.stderr) + f"\n(killed after {timeout:g} s)"
    seconds = time.perf_counter() - started
    data = None
    if json_path.exists():
        try:
            data = json.loads(json_path.read_text())
        except ValueError:
            data = None
    return Outcome(run, command, code, seconds, stdout, stderr, data)


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def _shown(command: Sequence[str]) -> str:
    """The command as someone would type it, from the repository root."""
    parts = ["python", *command[1:]]
    if "--json" in parts:
        del parts[parts.index("--json"):parts.index("--json") + 2]
    return " ".join(parts)


def machine_table(machine: dict[str, Any]) -> str:
    """What the benchmarks ran on, as a two-column Markdown table."""
    rows = [("CPU", machine.get("cpu")), ("cores", machine.get("cpu_count")),
            ("memory", f"{machine.get('memory_gib')} GiB"), ("Python", machine.get("python")),
            ("OS", machine.get("platform")),
            ("python-telegram-bot", machine.get("python_telegram_bot")),
            ("SQLAlchemy", machine.get("sqlalchemy")), ("git commit", machine.get("source"))]
    return "\n".join(["| | |", "|---|---|", *(f"| {key} | {value} |" for key, value in rows)])


def summary_table(outcomes: Sequence[Outcome]) -> str:
    """One row per benchmark run: status, time, headline figures and baseline."""
    lines = ["| benchmark | status | time | figures | baseline | relative to baseline |",
             "|---|---|---|---|---|---|"]
    for outcome in outcomes:
        ours, baseline, relative = headline(outcome.data) or ("see below", "", "")
        lines.append(f"| {outcome.run.title} | {outcome.status} | {outcome.seconds:.0f} s "
                     f"| {ours} | {baseline} | {relative} |")
    return "\n".join(lines)


def section(outcome: Outcome) -> str:
    """A benchmark's section: command, status, printed figures, JSON."""
    code = "killed" if outcome.code is None else str(outcome.code)
    lines = [f"## {outcome.run.title}", "",
             f"`{_shown(outcome.command)}`", "",
             f"Status: **{outcome.status}** (exit {code}) after {outcome.seconds:.1f} s", "",
             "```text", outcome.stdout.rstrip() or "(printed nothing)", "```"]
    if outcome.status != "ok" and outcome.stderr.strip():
        tail = "\n".join(outcome.stderr.rstrip().splitlines()[-40:])
        lines += ["", "Standard error (last lines):", "", "```text", tail, "```"]
    if outcome.data is not None:
        lines += ["", "<details><summary>JSON figures</summary>", "", "```json",
                  json.dumps(outcome.data, indent=2, allow_nan=True), "```", "", "</details>"]
    return "\n".join(lines)


def render(outcomes: Sequence[Outcome], machine: dict[str, Any], scale: str,
           started: datetime, seconds: float) -> str:
    """The whole results file."""
    return "\n\n".join([
        "# Backcoach benchmarks",
        f"Run on {started:%Y-%m-%d %H:%M} UTC, scale **{scale}**, {len(outcomes)} benchmark "
        f"runs in {seconds / 60:.1f} min, one after the other; git commit "
        f"{machine.get('source')}.",
        "## Machine", machine_table(machine),
        "## Summary", summary_table(outcomes),
        *(section(outcome) for outcome in outcomes),
    ]) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run_all",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small scales: --scale quick")
    parser.add_argument("--scale", choices=SCALES, default=None)
    parser.add_argument("--out", type=Path, default=Path("bench-results.md"),
                        help="the Markdown file to write")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this benchmark (e.g. bench_load or load); repeatable")
    parser.add_argument("--database", choices=DATABASES, action="append", default=[],
                        help="only this database (repeatable; default: both)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one benchmark may take (default: 2 h, tiny: 5 min)")
    args = parser.parse_args(argv)
    if args.quick and args.scale not in (None, "quick"):
        parser.error("--quick is --scale quick")
    args.scale = args.scale or ("quick" if args.quick else "full")
    args.timeout = args.timeout or (300.0 if args.scale == "tiny" else 7200.0)
    args.databases = tuple(dict.fromkeys(args.database)) or DATABASES
    return args


def selected(names: Sequence[str], only: Sequence[str]) -> list[str]:
    """The names --only picked (with or without the bench_ prefix); all without --only."""
    wanted = {name if name.startswith("bench_") else f"bench_{name}" for name in only}
    unknown = wanted - set(names)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}; there are "
                         f"{', '.join(names)}")
    return [name for name in names if not wanted or name in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, write the Markdown file; 1 when any failed."""
    args = parse_args(argv)
    runs = plan_runs(selected(discover(), args.only), args.scale, args.databases)
    started, clock = datetime.now(UTC), time.perf_counter()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="backcoach-bench-all-") as folder:
        for number, run in enumerate(runs, 1):
            print(f"[{number}/{len(runs)}] {run.title} ...", flush=True)
            outcome = execute(run, Path(folder), args.timeout)
            print(f"    {outcome.status} in {outcome.seconds:.1f} s", flush=True)
            outcomes.append(outcome)
    text = render(outcomes, describe_machine(), args.scale, started,
                  time.perf_counter() - clock)
    args.out.write_text(text)
    print(f"Results written to {args.out}")
    return 1 if any(o.status in ("FAILED", "TIMED OUT") for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
