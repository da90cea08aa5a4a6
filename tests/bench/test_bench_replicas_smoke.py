"""Keeps the replicas benchmark runnable: a tiny run of one replica and two whose figures
must add up."""

from __future__ import annotations

import json

import pytest

from tests.bench.bench_load import LoadConfig
from tests.bench.bench_replicas import figures, report, run_benchmark
from tests.bench.common import PostgresUnavailable

pytestmark = pytest.mark.postgres

PEOPLE = 4
TINY = LoadConfig(people=PEOPLE, minutes=0.05, think_min=0.02, think_max=0.05, warmup=1,
                  timeout=20, seed=65, database="postgres")


async def test_one_replica_and_two_under_a_tiny_crowd_add_up() -> None:
    try:
        result = await run_benchmark(TINY, 2)
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    assert not result.failed
    for run in (result.one, result.many):
        assert run.people == PEOPLE and run.failures == 0 and run.stopped_people == 0
        assert run.actions == run.sends + run.presses == run.latency.count > 0
        assert 0 < run.latency.p50_ms <= run.latency.p99_ms
        # Webhook mode: nobody polls; every process's CPU is counted.
        assert "getUpdates" not in run.api_calls and run.cpu_seconds > 0
    assert result.many.max_rss_mib > result.one.max_rss_mib  # two processes' memory
    assert result.actions_ratio > 0 and result.p99_ratio > 0
    printed = report(result)
    assert "1 replica" in printed and "2 replicas" in printed and "2 replicas / 1" in printed
    data = json.loads(json.dumps(figures(result)))
    assert data["benchmark"] == "replicas" and data["replicas"] == 2
