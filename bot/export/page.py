"""The visit report as a web page: the live progress page a person shares with /share.

What the PDF shows (bot/export/pdf.py), laid out for a phone and for printing: the program,
the pain chart (a PNG as a data: URI: the page loads nothing from anywhere), sessions per
week, warning signs with their dates and levels, and the questions. Every piece of text is
escaped here; the page's words are the export's own (content/locales/*/export.toml), in
the person's language. Pure: the caller gives the chart's bytes.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape

from bot.export import summary
from bot.export.common import (
    answered_detail,
    answered_questions,
    asked_detail,
    clean,
    date_time,
    local,
    medium_date,
    open_questions,
    pain_summary,
    say,
    short_date,
    title,
    zone_of,
)
from bot.export.report import QuestionItem, VisitReport

CSS = """
.live { color: #4a5568; font-size: 0.92rem; margin: 0 0 0.4rem; }
.visit { font-weight: 600; margin: 0.2rem 0; }
.note { color: #4a5568; font-size: 0.85rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem;
         border-bottom: 1px solid #e2e6ee; }
th { background: #f1f4f9; font-weight: 600; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
th { hyphens: auto; }
tr.total td { font-weight: 700; }
.level-emergency { color: #9b1c1c; font-weight: 700; }
.level-urgent { color: #b7410e; font-weight: 700; }
.level-call_doctor { color: #8a5a00; font-weight: 600; }
.quote { color: #4a5568; display: block; font-style: italic; }
figure { margin: 0.6rem 0; }
figure img { width: 100%; height: auto; border: 1px solid #e2e6ee; border-radius: 4px; }
ol, ul { padding-left: 1.4rem; }
li { margin: 0.35rem 0; }
.detail { color: #4a5568; display: block; font-size: 0.88rem; }
.print-only { display: none; }
@media (max-width: 30rem) { body { padding: 0.6rem; } table { font-size: 0.78rem; }
  th, td { padding: 0.3rem 0.2rem; } }
@page { margin: 1.5cm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  /* Small enough to stay on the page with its heading instead of jumping to the next. */
  figure img { width: auto; max-width: 100%; max-height: 8cm; }
  h2 { break-after: avoid; }
  tr, li, figure { break-inside: avoid; }
  .scroll { overflow: visible; }
  .print-only { display: block; }
}
"""


def progress_page(report: VisitReport, chart_png: bytes | None,
                  ends: datetime) -> tuple[str, str]:
    """(title, body HTML) of the page; `ends`: when the shared page stops opening."""
    labels = report.labels
    parts = [_front(report, ends), _program(report), _pain(report, chart_png),
             _sessions(report), _warnings(report), _questions(report)]
    return labels["page.title"], "".join(parts)


def message_page(labels: Mapping[str, str], kind: str) -> tuple[str, str]:
    """(title, body HTML) of the page a stopped, ended or unknown address shows."""
    heading = labels[f"page.{kind}_title"]
    return heading, f"<h1>{escape(heading)}</h1><p>{escape(labels[f'page.{kind}'])}</p>"


def _front(report: VisitReport, ends: datetime) -> str:
    labels, tz = report.labels, zone_of(report)
    when = date_time(local(report.generated_at, tz), labels)
    until = date_time(local(ends, tz), labels)
    html = [f"<h1>{escape(labels['page.title'])}</h1>",
            f'<p class="live">{escape(say(labels, "page.live", when=when, until=until))}</p>']
    if report.visit is not None:
        html.append(f'<p class="visit">{escape(title(report))}</p>')
    html.append(f'<p class="note">{escape(labels["disclaimer"])}</p>'
                f'<p class="note print-only">{escape(labels["page.print_note"])}</p>')
    return "".join(html)


def _h2(labels: Mapping[str, str], key: str) -> str:
    return f"<h2>{escape(labels[key])}</h2>"


def _table(heads: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 99,
           total_last: bool = False) -> str:
    """A table of escaped HTML cells; columns from `numeric_from` on are numbers."""
    def cell(tag: str, i: int, value: str) -> str:
        kind = ' class="n"' if i >= numeric_from else ""
        return f"<{tag}{kind}>{value}</{tag}>"

    head = "".join(cell("th", i, escape(h)) for i, h in enumerate(heads))
    body = []
    for n, values in enumerate(rows):
        total = ' class="total"' if total_last and n == len(rows) - 1 else ""
        body.append(f"<tr{total}>" + "".join(cell("td", i, v) for i, v in enumerate(values))
                    + "</tr>")
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _program(report: VisitReport) -> str:
    labels, tz = report.labels, zone_of(report)
    html = [_h2(labels, "section.program")]
    if not report.program:
        html.append(f"<p>{escape(labels['program.none'])}</p>")
    else:
        html.append(_table([labels["program.exercise"], labels["program.dose"]],
                           [[escape(i.exercise), escape(i.dose)] for i in report.program]))
    if report.program_changes:
        year = local(report.generated_at, tz).year
        items = "".join(
            f"<li>{escape(short_date(local(c.at, tz).date(), labels, year))}: "
            f"{escape(clean(c.what))}</li>" for c in report.program_changes)
        html.append(f"<p><strong>{escape(labels['program.changes'])}</strong></p><ul>{items}</ul>")
    return "".join(html)


def _pain(report: VisitReport, chart_png: bytes | None) -> str:
    labels = report.labels
    html = [_h2(labels, "section.pain"), f"<p>{escape(pain_summary(report))}</p>"]
    if report.pain and chart_png is not None:
        data = base64.b64encode(chart_png).decode("ascii")
        html.append(f'<figure><img src="data:image/png;base64,{data}" '
                    f'alt="{escape(labels["page.chart_alt"])}"></figure>')
    elif report.pain:
        html.append(f'<p class="note">{escape(labels["page.chart_not_drawn"])}</p>')
    return "".join(html)


def _sessions(report: VisitReport) -> str:
    labels = report.labels
    html = [_h2(labels, "section.sessions")]
    if report.program_changed:
        days = ", ".join(medium_date(d, labels) for d in report.program_changed)
        html.append(f"<p>{escape(say(labels, 'sessions.program_changed', dates=days))}</p>")
    if not report.weeks:
        html.append(f"<p>{escape(labels['sessions.none'])}</p>")
        return "".join(html)
    keys = ("week", "sessions", "completed", "done", "skipped", "stopped")
    rows = []
    for week in summary.week_rows(report.weeks):
        start = medium_date(week.week_start, labels)
        label = say(labels, "sessions.earlier", date=start) if week.earlier else start
        rows.append([escape(label), *map(str, week.counts)])
    totals = [sum(column) for column in zip(*map(summary.counts, report.weeks), strict=True)]
    rows.append([escape(labels["sessions.total"]), *map(str, totals)])
    html.append(_table([labels[f"sessions.{k}"] for k in keys], rows, numeric_from=1,
                       total_last=True))
    return "".join(html) + _stops(report)


def _stops(report: VisitReport) -> str:
    if not report.stops:
        return ""
    labels, tz = report.labels, zone_of(report)
    year = local(report.generated_at, tz).year
    rows, more = summary.stop_rows(report.stops, tz, labels, year)
    cells = [[escape(r.exercise), escape(r.where),
              "" if r.highest is None else f"{r.highest}/10", escape(r.when)] for r in rows]
    heads = [labels[f"stops.{k}"] for k in ("exercise", "where", "pain", "when")]
    html = [f"<h2>{escape(labels['section.stops'])}</h2>", _table(heads, cells)]
    if more:
        html.append(f'<p class="note">{escape(say(labels, "stops.more", count=more))}</p>')
    return "".join(html)


def _warnings(report: VisitReport) -> str:
    labels, tz = report.labels, zone_of(report)
    year = local(report.generated_at, tz).year
    html = [_h2(labels, "section.warnings")]
    rows = summary.warning_rows(report.escalations, tz, labels, year)
    if not rows:
        return "".join(html) + f"<p>{escape(labels['warnings.none'])}</p>"
    cells = []
    for r in rows:
        level = (f'<span class="level-{escape(r.level)}">'
                 f"{escape(labels.get(f'level.{r.level}', r.level))}</span>")
        about = [escape(r.about), *(f'<span class="quote">'
                                    f"{escape(say(labels, 'warnings.quote', words=q))}</span>"
                                    for q in r.quotes)]
        if r.more_quotes:
            about.append(f'<span class="quote">'
                         f"{escape(say(labels, 'warnings.more_words', count=r.more_quotes))}"
                         "</span>")
        cells.append([level, "".join(about), escape(r.when)])
    heads = [labels[f"warnings.{k}"] for k in ("level", "about", "when")]
    return "".join(html) + _table(heads, cells)


def _questions(report: VisitReport) -> str:
    labels = report.labels
    html = [_h2(labels, "page.open_questions")]
    waiting, done = open_questions(report), answered_questions(report)
    if not waiting and not done:
        return "".join(html) + f"<p>{escape(labels['question.none'])}</p>"
    if waiting:
        html.append("<ol>" + "".join(_question(q, report, False) for q in waiting) + "</ol>")
    if done:
        html.append(f"<h2>{escape(labels['section.answered'])}</h2><ul>"
                    + "".join(_question(q, report, True) for q in done) + "</ul>")
    return "".join(html)


def _question(question: QuestionItem, report: VisitReport, answered: bool) -> str:
    details = [asked_detail(question, report)]
    if answered:
        details.append(answered_detail(question, report))
    answer = clean(question.answer or "")
    said = (f'<span class="detail">{escape(say(report.labels, "question.answer", answer=answer))}'
            "</span>" if answer else "")
    return (f"<li>{escape(clean(question.text))}"
            f'<span class="detail">{escape("; ".join(details))}</span>{said}</li>')
