"""How long the visit PDF takes, and how long it is, as the history grows.

A person's history of --records records (pain ratings, sessions and warning-sign decisions,
spread over a year, made the same way every run) is turned into the report, the PDF and the
/progress chart; the baseline, measured in the same run, is the same kind of history with
--baseline records. Times are this thread's CPU time (best of --rounds), so other work on a
shared machine does not inflate them. The report must stay a page or two however long the
history: the pages are printed and a run with more than MAX_PAGES fails.

    python -m tests.bench.bench_export [--records N] [--baseline N] [--rounds N] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader

from bot.export.chart import pain_chart_png
from bot.export.pdf import visit_pdf
from bot.services.visit_export import build_report
from bot.telegram.files import labels_of
from bot.telegram.rendering import render_plain
from tests.bench.common import report_run
from tests.unit.report_fixtures import CONTENT, NOW, TEXTS, long_history

MAX_PAGES = 2


@dataclass
class Measure:
    """One history's report: its size and the CPU time of each part (best of the rounds)."""

    records: int
    report_ms: float
    pdf_ms: float
    chart_ms: float
    pages: int
    pdf_bytes: int


@dataclass
class ExportBenchmark:
    """The large history against the small one, in the same run."""

    benchmark: str
    rounds: int
    large: Measure
    baseline: Measure

    @property
    def ratio(self) -> float:
        """How many times longer the large history's PDF took."""
        return self.large.pdf_ms / self.baseline.pdf_ms


def measure(records: int, rounds: int) -> Measure:
    """The best CPU times of `rounds` builds of one history's report, PDF and chart."""
    source = long_history(records)
    best = [float("inf")] * 3
    data = b""
    for _ in range(rounds):
        start = time.thread_time()
        report = build_report(source, CONTENT.catalog, NOW,
                              lambda line: render_plain(line, TEXTS), labels_of(TEXTS))
        built = time.thread_time()
        data = visit_pdf(report)
        drawn = time.thread_time()
        pain_chart_png(report)
        charted = time.thread_time()
        times = (built - start, drawn - built, charted - drawn)
        best = [min(old, new * 1000) for old, new in zip(best, times, strict=True)]
    pages = len(PdfReader(io.BytesIO(data)).pages)
    report_ms, pdf_ms, chart_ms = best
    return Measure(records, report_ms, pdf_ms, chart_ms, pages=pages, pdf_bytes=len(data))


async def run_benchmark(records: int = 20_000, baseline: int = 200,
                        rounds: int = 3) -> ExportBenchmark:
    """Measure both histories."""
    return ExportBenchmark("export", rounds, measure(records, rounds), measure(baseline, rounds))


def report(result: ExportBenchmark) -> str:
    """The figures as a few lines."""
    lines = [f"Visit PDF, best of {result.rounds} (CPU time):"]
    for name, m in (("history", result.large), ("baseline", result.baseline)):
        lines.append(f"  {name}: {m.records:,} records: report {m.report_ms:.0f} ms, "
                     f"PDF {m.pdf_ms:.0f} ms, chart {m.chart_ms:.0f} ms; "
                     f"{m.pages} pages, {m.pdf_bytes / 1000:.0f} kB")
    lines.append(f"  PDF time ratio to the baseline: {result.ratio:.1f}x; "
                 f"pages at most {MAX_PAGES}: {'no' if failed(result) else 'yes'}")
    return "\n".join(lines)


def failed(result: ExportBenchmark) -> bool:
    """More than MAX_PAGES pages for either history."""
    return max(result.large.pages, result.baseline.pages) > MAX_PAGES


def figures(result: ExportBenchmark) -> dict[str, object]:
    """The JSON of a run."""
    return {**asdict(result), "ratio": result.ratio}


def main(argv: list[str]) -> int:
    """Run from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    return report_run(run_benchmark(args.records, args.baseline, args.rounds), args.json,
                      report, figures, failed)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
