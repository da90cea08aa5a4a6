"""Keeps the documents benchmark runnable: a tiny run whose figures must add up."""

from __future__ import annotations

import json

from tests.bench.bench_documents import figures, parse_args, report, run_benchmark


async def test_a_tiny_documents_run_adds_up() -> None:
    result = await run_benchmark(ratings=30, database="sqlite", replies=2)
    assert len(result.idle.replies_ms) == 2 and result.idle.export_seconds == 0
    for run in (result.before, result.after):
        assert len(run.replies_ms) >= 2 and run.export_seconds > 0
        assert 0 < run.p50_ms <= run.p99_ms <= run.max_ms
    assert result.p99_before_over_after > 0
    printed = report(result)
    assert "before: in a thread" in printed and "after: in a worker process" in printed
    data = json.loads(json.dumps(figures(result)))
    assert data["benchmark"] == "documents" and data["after"]["p99_ms"] > 0


def test_the_command_line() -> None:
    args = parse_args([])
    assert (args.ratings, args.replies, args.database, args.json) == (20000, 0, "sqlite", None)
