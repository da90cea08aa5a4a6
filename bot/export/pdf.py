"""The visit PDF: one A4 document a clinician can read in a minute, a page or two long.

Questions first (what I came to ask), then the warning signs with my own words, the program
I am doing now, the exercises I stopped because they hurt, pain over time and the sessions.
A long history is summarised (bot.export.summary), never listed in full. Every string
passes through fonts.printable, so text the font cannot draw is written out or marked, and
a closing line says so. The voice is the person's own: "my", never "their".
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import XPos, YPos

from bot.export import chart, summary
from bot.export.common import LABEL_KEYS as COMMON_KEYS
from bot.export.common import (
    answered_detail,
    answered_questions,
    asked_detail,
    clean,
    clock,
    local,
    long_date,
    medium_date,
    open_questions,
    pain_summary,
    say,
    short_date,
)
from bot.export.pdf_layout import BODY_PT, FONT, LINE_MM, NUMBER_MM, SMALL_PT, Layout
from bot.export.report import QuestionItem, VisitReport

LABEL_KEYS: tuple[str, ...] = (
    *COMMON_KEYS, *chart.LABEL_KEYS,
    "visit_with", "visit_alone", "prepared", "disclaimer", "footer",
    "missing_characters", "span", "times",
    "section.questions", "section.answered", "section.pain", "section.sessions",
    "section.warnings", "section.program", "section.stops",
    "pain.summary", "pain.summary_day", "pain.summary_one", "pain.none",
    "sessions.week", "sessions.sessions", "sessions.completed", "sessions.done",
    "sessions.skipped", "sessions.stopped", "sessions.total", "sessions.none",
    "sessions.earlier",
    "warnings.when", "warnings.level", "warnings.about", "warnings.none", "warnings.quote",
    "warnings.more_words",
    "program.exercise", "program.dose", "program.none", "program.changes", "program.from_link",
    "stops.exercise", "stops.where", "stops.pain", "stops.when", "stops.more",
    "stops.where_unknown",
    "level.emergency", "level.urgent", "level.call_doctor",
)
_CHART_PX = (1200, 620)
# The chart is drawn at most this tall, and shrinks to fit a page down to the minimum.
_CHART_MAX_MM, _CHART_MIN_MM = 90.0, 62.0
_NBSP = "\u00a0"


def visit_pdf(report: VisitReport) -> bytes:
    """The visit report as an A4 PDF, the same bytes for the same report."""
    writer = _Writer(report)
    writer.front()
    writer.questions()
    writer.warnings()
    writer.program()
    writer.stops()
    writer.sessions()
    writer.pain()  # last: the chart takes the room left on the page, down to a minimum
    writer.closing_note()
    return bytes(writer.pdf.output())


class _Writer(Layout):
    """Writes the sections in order."""

    def front(self) -> None:
        """Title on one line, when and with whom, when it was made and what it is not."""
        report = self.report
        self.title_line()
        if report.visit is not None:
            at = clock(local(report.visit.starts_at, self.tz), self.labels)
            who = clean(report.visit.with_whom)
            key = "visit_with" if who else "visit_alone"
            self.line(say(self.labels, key, time=at, who=who, minutes=report.visit.minutes))
        self.pdf.ln(0.5)
        made = medium_date(local(report.generated_at, self.tz).date(), self.labels)
        self.line(f"{say(self.labels, 'prepared', date=made)} {self.labels['disclaimer']}",
                  size=SMALL_PT, grey=True)

    def title_line(self) -> None:
        """The title on one line; the visit's date never breaks apart."""
        report = self.report
        if report.visit is None:
            self.fitted_title(self.text(self.labels["title_no_date"]))
            return
        day = local(report.visit.starts_at, self.tz).date()
        when = long_date(day, self.labels).replace(" ", _NBSP)
        self.fitted_title(self.text(say(self.labels, "title_with_date", date=when)))

    def questions(self) -> None:
        """Open questions numbered, then the answered ones as a separate list."""
        self.heading(self.labels["section.questions"])
        waiting, done = open_questions(self.report), answered_questions(self.report)
        if not waiting and not done:
            self.line(self.labels["question.none"])
        for number, question in enumerate(waiting, start=1):
            self.question(f"{number}.", question, [asked_detail(question, self.report)])
        if done:
            self.pdf.ln(1)
            self.line(self.labels["section.answered"], bold=True)
        for question in done:
            details = [asked_detail(question, self.report), answered_detail(question, self.report)]
            self.question("•", question, details)

    def question(self, mark: str, question: QuestionItem, details: Sequence[str]) -> None:
        """One question: its mark, its text, then when and in what context in small grey."""
        self.pdf.set_font(FONT, "", BODY_PT)
        self.pdf.set_text_color(0)
        self.pdf.cell(NUMBER_MM, LINE_MM, mark, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.pdf.multi_cell(self.pdf.epw - NUMBER_MM, LINE_MM, self.text(clean(question.text)),
                            align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line("; ".join(details), size=SMALL_PT, grey=True, indent=NUMBER_MM)
        answer = clean(question.answer or "")
        if answer:
            self.line(say(self.labels, "question.answer", answer=answer), size=10.0,
                      indent=NUMBER_MM)
        self.pdf.ln(1)

    def warnings(self) -> None:
        """Each warning sign once per level, with every date and some of my own words."""
        self.heading(self.labels["section.warnings"])
        rows = summary.warning_rows(self.report.escalations, self.tz, self.labels, self.year)
        if not rows:
            self.line(self.labels["warnings.none"])
            return
        cells = [[self.labels.get(f"level.{r.level}", r.level), self._about(r), r.when]
                 for r in rows]
        heads = [self.labels[f"warnings.{k}"] for k in ("level", "about", "when")]
        self.table(heads, cells, widths=(34, 86, 54))

    def _about(self, row: summary.WarningRow) -> str:
        """The sign, then my words in quotes, and how many other messages there were."""
        lines = [row.about, *(say(self.labels, "warnings.quote", words=q) for q in row.quotes)]
        if row.more_quotes:
            lines.append(say(self.labels, "warnings.more_words", count=row.more_quotes))
        return "\n".join(lines)

    def program(self) -> None:
        """The exercises I do now with their amounts, and when the program changed."""
        self.heading(self.labels["section.program"])
        items = self.report.program
        if not items:
            self.line(self.labels["program.none"])
        else:
            heads = [self.labels["program.exercise"], self.labels["program.dose"]]
            self.table(heads, [[i.exercise, i.dose] for i in items], widths=(70, 104))
        if self.report.program_from_link is not None:
            day = short_date(local(self.report.program_from_link, self.tz).date(), self.labels,
                             self.year)
            self.line(say(self.labels, "program.from_link", date=day))
        changes = self.report.program_changes
        if changes:
            self.pdf.ln(1.5)
            self.line(self.labels["program.changes"], bold=True)
            for change in changes:
                day = short_date(local(change.at, self.tz).date(), self.labels, self.year)
                self.line(f"{day}: {clean(change.what)}", indent=NUMBER_MM / 2)

    def stops(self) -> None:
        """The exercises I stopped because they hurt, where, how much, and when."""
        if not self.report.stops:
            return  # the sessions table says 0 stopped for pain
        self.heading(self.labels["section.stops"])
        rows, more = summary.stop_rows(self.report.stops, self.tz, self.labels, self.year)
        cells = [[r.exercise, r.where, "" if r.highest is None else f"{r.highest}/10", r.when]
                 for r in rows]
        heads = [self.labels[f"stops.{k}"] for k in ("exercise", "where", "pain", "when")]
        self.table(heads, cells, widths=(48, 54, 16, 56))
        if more:
            self.line(say(self.labels, "stops.more", count=more), size=SMALL_PT, grey=True)

    def pain(self) -> None:
        """A one-line summary of the ratings, and the chart as tall as the page allows."""
        self.heading(self.labels["section.pain"], keep_mm=_CHART_MIN_MM + 10)
        self.line(self._pain_summary())
        if not self.report.pain:
            return  # an empty chart says nothing the line above does not
        room = self.pdf.page_break_trigger - self.pdf.get_y() - 2
        if room < _CHART_MIN_MM:
            self.pdf.add_page()
            room = self.pdf.page_break_trigger - self.pdf.get_y() - 2
        height = min(_CHART_MAX_MM, room)
        width = min(self.pdf.epw, height * _CHART_PX[0] / _CHART_PX[1])
        self.pdf.ln(1)
        png = chart.pain_chart_png(self.report, *_CHART_PX)
        self.pdf.image(io.BytesIO(png), x=self.pdf.l_margin + (self.pdf.epw - width) / 2,
                       w=width, h=width * _CHART_PX[1] / _CHART_PX[0],
                       alt_text=self.labels["chart.title"])

    def _pain_summary(self) -> str:
        """'12 ratings from 3 Nov to 1 Dec 2026: average 4.2, latest 3, highest 8 (...)'."""
        return pain_summary(self.report)

    def sessions(self) -> None:
        """The last weeks one row each, the earlier weeks added up, and the totals."""
        self.heading(self.labels["section.sessions"])
        if self.report.program_changed:  # one line; the days come from /program
            days = ", ".join(medium_date(d, self.labels) for d in self.report.program_changed)
            self.line(say(self.labels, "sessions.program_changed", dates=days))
        weeks = self.report.weeks
        if not weeks:
            self.line(self.labels["sessions.none"])
            return
        keys = ("week", "sessions", "completed", "done", "skipped", "stopped")
        rows = []
        for week in summary.week_rows(weeks):
            start = medium_date(week.week_start, self.labels)
            label = say(self.labels, "sessions.earlier", date=start) if week.earlier else start
            rows.append([label, *map(str, week.counts)])
        totals = [sum(column) for column in zip(*map(summary.counts, weeks), strict=True)]
        rows.append([self.labels["sessions.total"], *map(str, totals)])
        self.table([self.labels[f"sessions.{k}"] for k in keys], rows,
                   widths=(36, 22, 24, 28, 22, 28), numeric=True, bold_last=True)

    def closing_note(self) -> None:
        """Says that some characters are missing here, when they are (they are in the text)."""
        if self.replaced:
            self.pdf.ln(4)
            self.line(self.labels["missing_characters"], size=SMALL_PT, grey=True)
