"""Keeps the onboarding benchmark runnable: tiny runs whose figures must add up."""

from __future__ import annotations

import json
from dataclasses import asdict

from tests.bench.bench_onboarding import (
    UPDATES_PER_PERSON,
    bench_echo,
    parse_args,
    report,
    run_benchmark,
)

PEOPLE = 3


async def test_a_tiny_benchmark_run_adds_up() -> None:
    result = await run_benchmark(people=PEOPLE, database="sqlite", warmup=1, timeout=20)
    for run in (result.backcoach, result.echo):
        assert run.people == PEOPLE and run.failed_people == 0 and run.errors == []
        assert run.updates == PEOPLE * UPDATES_PER_PERSON
        assert run.wall_seconds > 0 and run.updates_per_second > 0
        assert 0 < run.p50_ms <= run.p99_ms <= run.max_ms
        assert run.api_errors == {} and run.failures_by_step == {}
    # The echo bot does exactly one message per update and answers every press.
    assert result.echo.api_calls["sendMessage"] == PEOPLE * UPDATES_PER_PERSON
    assert result.echo.api_calls["answerCallbackQuery"] == PEOPLE * (UPDATES_PER_PERSON - 1)
    assert result.ratio.throughput > 0 and result.ratio.p50 > 0 and result.ratio.p99 > 0
    assert result.machine["cpu_count"] and result.run_seconds > 0
    printed = report(result)
    assert "backcoach" in printed and "echo (PTB)" in printed and "throughput" in printed
    figures = json.loads(json.dumps(asdict(result)))
    assert figures["backcoach"]["updates"] == figures["echo"]["updates"]


async def test_the_drivers_own_waits_measure_the_same_way() -> None:
    run = await bench_echo(people=2, warmup=0, concurrency=4, waits="driver", timeout=20)
    assert run.updates == 2 * UPDATES_PER_PERSON and run.failed_people == 0
    assert 0 < run.p50_ms <= run.p99_ms


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.people, args.database, args.json, args.waits) == (200, "sqlite", None, "watcher")
    args = parse_args(["--people", "7", "--database", "postgres", "--json", "out.json"])
    assert (args.people, args.database, str(args.json)) == (7, "postgres", "out.json")
