"""Keeps run_all working: it finds every benchmark, runs each at a tiny scale and writes one
Markdown file with the machine and a section per benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.run_all import (
    DATABASES,
    KNOWN,
    TAKES_DATABASE,
    Run,
    discover,
    execute,
    main,
    parse_args,
    plan_runs,
    section,
    selected,
)


def test_every_bench_script_is_found(tmp_path: Path) -> None:
    for name in ("bench_alpha.py", "bench_beta.py", "common.py", "test_bench_x.py"):
        (tmp_path / name).write_text('"""A file."""\n')
    assert discover(tmp_path) == ["bench_alpha", "bench_beta"]
    assert discover()[:len(KNOWN)] == list(KNOWN)  # the known ones first, in their order


def test_each_benchmark_runs_on_each_database_it_takes() -> None:
    runs = plan_runs(["bench_load", "bench_new"], "quick", DATABASES)
    assert [(run.name, run.database) for run in runs] == [
        ("bench_load", "sqlite"), ("bench_load", "postgres"), ("bench_new", None)]
    command = runs[0].command(Path("out.json"))
    assert command[1:3] == ["-m", "tests.bench.bench_load"] and "--people" in command
    assert command[-4:] == ["--database", "sqlite", "--json", "out.json"]
    assert runs[2].command(Path("b.json"))[3:] == ["--json", "b.json"]
    assert selected(["bench_a", "bench_b"], ["b"]) == ["bench_b"]
    with pytest.raises(SystemExit):
        selected(["bench_a"], ["nothing"])


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.scale, args.databases, str(args.out)) == ("full", DATABASES, "bench-results.md")
    args = parse_args(["--quick", "--database", "postgres", "--only", "load"])
    assert (args.scale, args.databases, args.only) == ("quick", ("postgres",), ["load"])


def test_a_failing_benchmark_is_reported_with_what_it_said(tmp_path: Path) -> None:
    outcome = execute(Run("bench_load", "sqlite", ("--people", "0")), tmp_path, timeout=60)
    assert outcome.status == "FAILED" and outcome.data is None
    text = section(outcome)
    assert "**FAILED**" in text and "must be positive" in text


def test_a_tiny_run_of_everything_writes_one_file(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    code = main(["--scale", "tiny", "--database", "sqlite", "--out", str(out)])
    text = out.read_text()
    assert code == 0, text
    assert "## Machine" in text and "| cores |" in text and "| git commit |" in text
    assert "scale **tiny**" in text
    names = discover()
    for name in names:
        heading = f"## {name} (sqlite)" if name in TAKES_DATABASE else f"## {name}"
        assert heading in text
    assert text.count("Status: **ok**") == len(names)
    assert text.count("```json") == len(names)  # every benchmark's figures were collected
    for words in ("Onboarding benchmark", "Reminder benchmark", "Load benchmark",
                  "echo bot:", "APScheduler job per person", "Triage per message",
                  "reading words only: p50", "Flood benchmark", "without the flood: p50"):
        assert words in text
