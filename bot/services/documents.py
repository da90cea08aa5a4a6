"""The files a reply asks for (Attach): the person's data, the visit export, the pain chart.

One use case, one transaction: the history is read once, then the documents are made from
it and handed to the adapter, which only sends them. Drawing the chart and the PDF takes a
noticeable fraction of a second (far more for a long history), so it runs in a worker
process with a deadline (the Renderer, bot/export/render_pool.py), never in the process
that answers everyone else. What is cheap (the questions as text, the calendar entry, the
summary) is made here, and still sent when the drawing fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain.catalog import Catalog
from bot.domain.engine.replies import Line
from bot.export.ics import visit_ics
from bot.export.render_pool import RenderFailed, draw
from bot.export.report import VisitReport
from bot.export.text import questions_text
from bot.services.my_data import ExportFile, my_data_files
from bot.services.ports import Renderer, UnitOfWork
from bot.services.visit_export import History, Words, build_report, load_history, progress_line


@dataclass(frozen=True)
class Wording:
    """The person's language, as documents need it: any line as plain text, and the
    export's own words (content/locales/*/export.toml, without their prefix)."""

    words: Words
    labels: Mapping[str, str]


async def documents(kind: str, uow: UnitOfWork, renderer: Renderer, catalog: Catalog,
                    telegram_user_id: int, now: datetime, wording: Wording) -> list[ExportFile]:
    """The files of one Attach kind ("mydata", "export", "progress") for one person, ready
    to send; [] for a person not known (or a kind there is none of)."""
    if kind == "mydata":
        return await my_data_files(uow, telegram_user_id, now)
    if kind not in ("export", "progress"):
        return []
    history = await load_history(uow, telegram_user_id)
    if history is None:
        return []
    report = build_report(history, catalog, now, wording.words, wording.labels)
    if kind == "export":
        try:
            pdf: bytes | None = await renderer.run(
                "visit_pdf", draw, "bot.export.pdf:visit_pdf", report)
        except RenderFailed:
            pdf = None
        return visit_files(report, str(telegram_user_id), pdf, wording.words)
    return await progress_files(history, report, renderer, now, wording.words)


def visit_files(report: VisitReport, uid_seed: str, pdf: bytes | None,
                words: Words) -> list[ExportFile]:
    """The questions as messages, the PDF (or why it is missing), and the calendar entry
    when a visit is set."""
    files = [ExportFile("questions.txt", questions_text(report).encode(), as_text=True),
             ExportFile(_pdf_name(report), pdf) if pdf is not None else _not_drawn(words)]
    calendar = visit_ics(report, uid_seed)
    if calendar is not None:
        files.append(ExportFile("backcoach-visit.ics", calendar))
    return files


async def progress_files(history: History, report: VisitReport, renderer: Renderer,
                         now: datetime, words: Words) -> list[ExportFile]:
    """The pain chart as a picture, and the summary as a message."""
    summary = words(progress_line(history, now))
    if not report.pain:
        return [ExportFile("progress.txt", summary.encode(), as_text=True)]
    try:
        chart = await renderer.run("pain_chart", draw, "bot.export.chart:pain_chart_png",
                                   report)
    except RenderFailed:
        return [_not_drawn(words), ExportFile("progress.txt", summary.encode(), as_text=True)]
    caption = words(Line("visit.photo_caption"))
    return [ExportFile("backcoach-pain.png", chart, as_photo=True, caption=caption),
            ExportFile("progress.txt", summary.encode(), as_text=True)]


def _not_drawn(words: Words) -> ExportFile:
    """What the person reads instead of a document that could not be drawn in time."""
    return ExportFile("not-drawn.txt", words(Line("visit.not_drawn")).encode(), as_text=True)


def _pdf_name(report: VisitReport) -> str:
    when = report.visit.starts_at.date().isoformat() if report.visit else "next-visit"
    return f"backcoach-visit-{when}.pdf"
