"""The files a reply asks for (Attach): the person's data, the visit export, the pain chart.

Drawing the chart and the PDF takes a noticeable fraction of a second (far more for a long
history), so it runs in a worker process with a deadline (bot/render_pool.py), never in
the process that answers everyone else. What is cheap (the questions as text, the
calendar entry, the summary) is made here, and still sent when the drawing fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.app.wiring import Deps
from bot.domain.engine.replies import Line
from bot.export.ics import visit_ics
from bot.export.render_pool import RenderFailed, draw
from bot.export.report import VisitReport
from bot.export.text import questions_text
from bot.loaders.texts import Texts
from bot.services.my_data import ExportFile, my_data_files
from bot.services.visit_export import History, build_report, load_history, progress_line
from bot.telegram.outbound import FileMaker
from bot.telegram.rendering import render_plain


def labels_of(texts: Texts) -> Mapping[str, str]:
    """The export's own words (content/locales/*/export.toml), without their prefix."""
    return {key[len("export."):]: value for key, value in texts.strings.items()
            if key.startswith("export.")}


def file_maker(deps: Deps, telegram_user_id: int, texts: Texts) -> FileMaker:
    """Build the files of each Attach kind for one person."""

    async def make(kind: str) -> list[ExportFile]:
        now = deps.clock.now()
        if kind == "mydata":
            return await my_data_files(deps.unit_of_work(), telegram_user_id, now)
        history = await load_history(deps.unit_of_work(), telegram_user_id)
        if history is None:
            return []
        if kind == "export":
            report = _report(history, deps, now, texts)
            try:
                pdf: bytes | None = await deps.renderer.run(
                    "visit_pdf", draw, "bot.export.pdf:visit_pdf", report)
            except RenderFailed:
                pdf = None
            return visit_files(report, str(telegram_user_id), pdf, texts)
        if kind == "progress":
            return await progress_files(history, deps, now, texts)
        return []

    return make


def _report(history: History, deps: Deps, now: datetime, texts: Texts) -> VisitReport:
    return build_report(history, deps.content.catalog, now,
                        lambda line: render_plain(line, texts), labels_of(texts))


def visit_files(report: VisitReport, uid_seed: str, pdf: bytes | None,
                texts: Texts) -> list[ExportFile]:
    """The questions as messages, the PDF (or why it is missing), and the calendar entry
    when a visit is set."""
    files = [ExportFile("questions.txt", questions_text(report).encode(), as_text=True),
             ExportFile(_pdf_name(report), pdf) if pdf is not None else _not_drawn(texts)]
    calendar = visit_ics(report, uid_seed)
    if calendar is not None:
        files.append(ExportFile("backcoach-visit.ics", calendar))
    return files


async def progress_files(history: History, deps: Deps, now: datetime,
                         texts: Texts) -> list[ExportFile]:
    """The pain chart as a picture, and the summary as a message."""
    report = _report(history, deps, now, texts)
    summary = render_plain(progress_line(history, now), texts)
    if not report.pain:
        return [ExportFile("progress.txt", summary.encode(), as_text=True)]
    try:
        chart = await deps.renderer.run("pain_chart", draw, "bot.export.chart:pain_chart_png",
                                        report)
    except RenderFailed:
        return [_not_drawn(texts), ExportFile("progress.txt", summary.encode(), as_text=True)]
    caption = render_plain(Line("visit.photo_caption"), texts)
    return [ExportFile("backcoach-pain.png", chart, as_photo=True, caption=caption),
            ExportFile("progress.txt", summary.encode(), as_text=True)]


def _not_drawn(texts: Texts) -> ExportFile:
    """What the person reads instead of a document that could not be drawn in time."""
    return ExportFile("not-drawn.txt", render_plain(Line("visit.not_drawn"), texts).encode(),
                      as_text=True)


def _pdf_name(report: VisitReport) -> str:
    when = report.visit.starts_at.date().isoformat() if report.visit else "next-visit"
    return f"backcoach-visit-{when}.pdf"
