"""The visit PDF: one A4 document a clinician can read in a minute.

Questions first (what the person came to ask), then pain over time, exercise sessions and
the warning signs the bot acted on. Every string passes through fonts.printable, so text
the font cannot draw is written out or marked, and a closing line says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from statistics import fmean

from fpdf import FPDF, FontFace, XPos, YPos

from bot.export import chart
from bot.export.common import LABEL_KEYS as COMMON_KEYS
from bot.export.common import (
    answered_detail,
    answered_questions,
    asked_detail,
    clean,
    clock,
    date_time,
    local,
    medium_date,
    open_questions,
    say,
    title,
    zone_of,
)
from bot.export.fonts import BOLD, REGULAR, printable
from bot.export.report import QuestionItem, VisitReport, WeekAdherence

LABEL_KEYS: tuple[str, ...] = (
    *COMMON_KEYS, *chart.LABEL_KEYS,
    "visit_with", "visit_alone", "prepared", "prepared_for", "disclaimer", "footer",
    "missing_characters",
    "section.questions", "section.answered", "section.pain", "section.sessions",
    "section.warnings",
    "pain.summary", "pain.summary_one", "pain.none",
    "sessions.week", "sessions.sessions", "sessions.completed", "sessions.done",
    "sessions.skipped", "sessions.stopped", "sessions.total", "sessions.none",
    "warnings.when", "warnings.level", "warnings.about", "warnings.none",
    "level.emergency", "level.urgent", "level.call_doctor",
)
FONT = "DejaVu"
AUTHOR = "Backcoach"
_TITLE_PT, _HEADING_PT, _BODY_PT, _SMALL_PT = 18.0, 14.0, 11.0, 9.0
_GREY = 95
_LINE_MM, _SMALL_LINE_MM, _NUMBER_MM = 6.0, 4.8, 9.0
_CHART_PX = (1200, 640)
# A heading needs this much room under it, or it starts the next page with its content.
_KEEP_WITH_NEXT_MM = 30.0


def visit_pdf(report: VisitReport) -> bytes:
    """The visit report as an A4 PDF, the same bytes for the same report."""
    writer = _Writer(report)
    writer.front()
    writer.questions()
    writer.pain()
    writer.sessions()
    writer.warnings()
    writer.closing_note()
    return bytes(writer.pdf.output())


class _Document(FPDF):
    """A4 with DejaVu Sans and a page-number footer."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer = footer
        self.add_font(FONT, "", REGULAR)
        self.add_font(FONT, "B", BOLD)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        """'Page 2 of 3', small and grey, at the foot of every page."""
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(_GREY)
        text = self._footer.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(0, 5, text, align="C")


class _Writer:
    """Writes the sections in order, remembering whether any character had to be replaced."""

    def __init__(self, report: VisitReport) -> None:
        self.report = report
        self.labels = report.labels
        self.tz = zone_of(report)
        self.replaced = False
        self.pdf = _Document(self.text(self.labels["footer"]))
        self.pdf.set_title(title(report))
        self.pdf.set_author(AUTHOR)
        self.pdf.set_creator(AUTHOR)
        self.pdf.set_creation_date(local(report.generated_at, UTC))
        self.pdf.add_page()

    def text(self, raw: str) -> str:
        """`raw` as the font can draw it."""
        result = printable(raw)
        self.replaced = self.replaced or result.replaced
        return result.text

    def line(self, raw: str, size: float = _BODY_PT, bold: bool = False, grey: bool = False,
             indent: float = 0.0) -> None:
        """A paragraph that wraps (breaking inside words too long for a line)."""
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(_GREY if grey else 0)
        height = _LINE_MM if size >= _BODY_PT else _SMALL_LINE_MM
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(self.pdf.epw - indent, height, self.text(raw), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, raw: str, keep_mm: float = _KEEP_WITH_NEXT_MM) -> None:
        """A section heading, kept on the same page as the first `keep_mm` of what follows."""
        if self.pdf.will_page_break(keep_mm):
            self.pdf.add_page()
        self.pdf.ln(5)
        self.line(raw, size=_HEADING_PT, bold=True)
        self.pdf.ln(1)

    def front(self) -> None:
        """Title, when and with whom, who prepared it and what it is not."""
        report = self.report
        self.line(title(report), size=_TITLE_PT, bold=True)
        if report.visit is not None:
            at = clock(local(report.visit.starts_at, self.tz), self.labels)
            who = clean(report.visit.with_whom)
            key = "visit_with" if who else "visit_alone"
            self.line(say(self.labels, key, time=at, who=who, minutes=report.visit.minutes))
        self.pdf.ln(1)
        made = medium_date(local(report.generated_at, self.tz).date(), self.labels)
        name = clean(report.person_name or "")
        prepared = (say(self.labels, "prepared_for", name=name, date=made) if name
                    else say(self.labels, "prepared", date=made))
        self.line(prepared, size=_SMALL_PT, grey=True)
        self.line(self.labels["disclaimer"], size=_SMALL_PT, grey=True)

    def questions(self) -> None:
        """Open questions numbered, then the answered ones as a separate list."""
        self.heading(self.labels["section.questions"])
        waiting, done = open_questions(self.report), answered_questions(self.report)
        if not waiting and not done:
            self.line(self.labels["question.none"])
        for number, question in enumerate(waiting, start=1):
            self.question(f"{number}.", question, [asked_detail(question, self.report)])
        if done:
            self.pdf.ln(2)
            self.line(self.labels["section.answered"], bold=True)
        for question in done:
            details = [asked_detail(question, self.report), answered_detail(question, self.report)]
            self.question("•", question, details)

    def question(self, mark: str, question: QuestionItem, details: Sequence[str]) -> None:
        """One question: its mark, its text, then when and in what context in small grey."""
        self.pdf.set_font(FONT, "", _BODY_PT)
        self.pdf.set_text_color(0)
        self.pdf.cell(_NUMBER_MM, _LINE_MM, mark, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.pdf.multi_cell(self.pdf.epw - _NUMBER_MM, _LINE_MM, self.text(clean(question.text)),
                            align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line("; ".join(details), size=_SMALL_PT, grey=True, indent=_NUMBER_MM)
        answer = clean(question.answer or "")
        if answer:
            self.line(say(self.labels, "question.answer", answer=answer), size=10.0,
                      indent=_NUMBER_MM)
        self.pdf.ln(1.5)

    def pain(self) -> None:
        """A one-line summary of the ratings and the chart under it, on one page."""
        width = self.pdf.epw
        height = width * _CHART_PX[1] / _CHART_PX[0] if self.report.pain else 0.0
        self.heading(self.labels["section.pain"], keep_mm=height + _KEEP_WITH_NEXT_MM)
        self.line(self._pain_summary())
        if not self.report.pain:
            return  # an empty chart says nothing the line above does not
        self.pdf.ln(2)
        png = chart.pain_chart_png(self.report, *_CHART_PX)
        self.pdf.image(io.BytesIO(png), w=width, h=height, alt_text=self.labels["chart.title"])

    def _pain_summary(self) -> str:
        """'12 ratings from 3 Nov to 1 Dec 2026: average 4.2, latest 3, highest 8 (...)'."""
        points = sorted(self.report.pain, key=lambda p: p.at)
        if not points:
            return self.labels["pain.none"]
        first, last = (medium_date(local(p.at, self.tz).date(), self.labels)
                       for p in (points[0], points[-1]))
        ratings = [p.rating for p in points]
        key = "pain.summary" if len(points) > 1 else "pain.summary_one"
        return say(self.labels, key, count=len(points), first=first, last=last,
                   average=f"{fmean(ratings):.1f}", latest=ratings[-1], highest=max(ratings))

    def sessions(self) -> None:
        """One row per week, and the totals."""
        self.heading(self.labels["section.sessions"])
        if self.report.program_changed:  # one line; the days come from /program
            days = ", ".join(medium_date(d, self.labels) for d in self.report.program_changed)
            self.line(say(self.labels, "sessions.program_changed", dates=days))
        weeks = self.report.weeks
        if not weeks:
            self.line(self.labels["sessions.none"])
            return
        keys = ("week", "sessions", "completed", "done", "skipped", "stopped")
        rows = [[medium_date(w.week_start, self.labels), *map(str, _counts(w))] for w in weeks]
        totals = [sum(column) for column in zip(*(_counts(w) for w in weeks), strict=True)]
        rows.append([self.labels["sessions.total"], *map(str, totals)])
        self.table([self.labels[f"sessions.{k}"] for k in keys], rows,
                   widths=(30, 22, 24, 28, 22, 28), numeric=True, bold_last=True)

    def warnings(self) -> None:
        """Each warning sign: when, the advice Backcoach gave, and what it was about."""
        self.heading(self.labels["section.warnings"])
        if not self.report.escalations:
            self.line(self.labels["warnings.none"])
            return
        rows = [
            [date_time(local(e.at, self.tz), self.labels),
             self.labels.get(f"level.{e.level}", e.level), clean(e.about)]
            for e in self.report.escalations
        ]
        heads = [self.labels[f"warnings.{k}"] for k in ("when", "level", "about")]
        self.table(heads, rows, widths=(40, 38, 96))

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], numeric: bool = False, bold_last: bool = False) -> None:
        """A table with a shaded header row (repeated on a new page); numbers on the right."""
        self.pdf.set_font(FONT, "", 10)
        self.pdf.set_text_color(0)
        with self.pdf.table(col_widths=tuple(widths), width=self.pdf.epw, line_height=5.5,
                            borders_layout="HORIZONTAL_LINES", text_align="LEFT",
                            headings_style=FontFace(emphasis="BOLD", fill_color=235)) as table:
            for index, cells in enumerate([heads, *rows]):
                row = table.row()
                bold = bold_last and index == len(rows)
                for column, cell in enumerate(cells):
                    align = "RIGHT" if numeric and column > 0 else "LEFT"
                    style = FontFace(emphasis="BOLD") if bold else None
                    row.cell(self.text(cell), align=align, style=style)

    def closing_note(self) -> None:
        """Says that some characters are missing here, when they are (they are in the text)."""
        if self.replaced:
            self.pdf.ln(6)
            self.line(self.labels["missing_characters"], size=_SMALL_PT, grey=True)


def _counts(week: WeekAdherence) -> tuple[int, int, int, int, int]:
    """A week's numbers in table order."""
    return (week.sessions, week.completed, week.exercises_done, week.exercises_skipped,
            week.exercises_stopped_for_pain)
