"""Keeps the triage benchmark runnable: a tiny run whose figures must add up."""

from __future__ import annotations

import json
from dataclasses import asdict

from tests.bench.bench_triage import report, run_benchmark
from tests.bench.run_all_summary import headline


async def test_a_tiny_triage_benchmark_run_adds_up() -> None:
    result = await run_benchmark(rounds=1, long=2)
    assert result.messages > 1000 and result.long_messages == 2
    for timing in (result.engine, result.baseline):
        assert 0 < timing.p50_ms <= timing.p99_ms <= timing.max_ms
        assert 0 < timing.long_p50_ms <= timing.long_p99_ms
    assert result.ratio_p99 > 1  # deciding costs more than only reading the words
    printed = report(result)
    assert "triage.decide" in printed and "reading words only" in printed
    figures = json.loads(json.dumps(asdict(result)))
    found = headline(figures)
    assert found is not None and "p99" in found[0] and "reading words only" in found[1]
