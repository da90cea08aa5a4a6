"""Keeps the visit PDF benchmark runnable: a small run whose figures must add up."""

from __future__ import annotations

import json
from dataclasses import asdict

from tests.bench.bench_export import MAX_PAGES, failed, report, run_benchmark


async def test_a_small_export_benchmark_run_adds_up() -> None:
    result = await run_benchmark(records=3000, baseline=50, rounds=1)
    assert (result.large.records, result.baseline.records) == (3000, 50)
    for measure in (result.large, result.baseline):
        assert measure.pdf_ms > 0 and measure.chart_ms > 0 and measure.pdf_bytes > 10_000
        assert 1 <= measure.pages <= MAX_PAGES
    assert not failed(result)
    printed = report(result)
    assert "3,000 records" in printed and "ratio to the baseline" in printed
    assert json.loads(json.dumps(asdict(result)))["large"]["records"] == 3000


async def test_its_headline_is_in_the_summary_of_every_benchmark() -> None:
    from tests.bench.run_all_summary import headline

    result = await run_benchmark(records=500, baseline=50, rounds=1)
    found = headline(json.loads(json.dumps({**asdict(result), "ratio": result.ratio})))
    assert found is not None
    assert found[0].startswith("500 records: PDF ") and "baseline 50 records" in found[1]
