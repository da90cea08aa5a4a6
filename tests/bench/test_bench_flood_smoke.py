"""Keeps the flood benchmark runnable: a tiny run whose figures must add up."""

from __future__ import annotations

import json

from bot.domain.triage import Level
from bot.loaders.triage import load_triage
from tests.bench.bench_flood import (
    WARNING,
    FloodConfig,
    figures,
    parse_args,
    report,
    run_benchmark,
)
from tests.bench.run_all_summary import headline

TINY = FloodConfig(people=3, seconds=3, think_min=0.05, think_max=0.2, messages=30, presses=10,
                   warmup=1, timeout=20, max_ratio=0)


async def test_a_tiny_flood_run_adds_up() -> None:
    result = await run_benchmark(TINY)
    for run in (result.calm, result.flooded):
        assert run.people == 3 and run.failures == 0 and run.actions > 0
        assert 0 < run.latency.p50_ms <= run.latency.p99_ms
    flood = result.flood
    assert flood.updates == 40
    # 40 at once against a line of 10: most are let go, with one notice; the warning sign
    # at the end is never let go, and is answered.
    assert 0 < flood.let_go < flood.updates and flood.notices == 1
    assert flood.warning_answered_seconds is not None
    assert result.p99_ratio > 0 and not result.failed
    printed = report(result)
    assert "Flood benchmark" in printed and "Result: OK" in printed
    data = json.loads(json.dumps(figures(result)))
    assert data["benchmark"] == "flood" and data["flood"]["let_go"] == flood.let_go
    assert headline(data) is not None


def test_only_the_last_text_of_the_flood_is_a_warning_sign() -> None:
    triage = load_triage()
    assert triage.decide(WARNING).level == Level.EMERGENCY
    assert triage.decide("just checking in 12").level == Level.NONE
    assert triage.decide("just checking in 12").candidate == Level.NONE


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.people, args.seconds, args.messages, args.presses, args.max_ratio) == (
        50, 40.0, 300, 100, 2.0)
