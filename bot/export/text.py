"""The questions as a plain-text Telegram message (no HTML), to read out at the visit."""

from __future__ import annotations

from bot.export.common import LABEL_KEYS as COMMON_KEYS
from bot.export.common import (
    answered_detail,
    answered_questions,
    asked_detail,
    clean,
    local,
    open_questions,
    say,
    short_date,
    title,
    zone_of,
)
from bot.export.report import QuestionItem, VisitReport

LABEL_KEYS: tuple[str, ...] = (*COMMON_KEYS, "section.answered", "program.from_link")


def questions_text(report: VisitReport) -> str:
    """The title, the open questions numbered, then the answered ones under their own heading."""
    lines = [title(report), ""]
    waiting = open_questions(report)
    done = answered_questions(report)
    if not waiting and not done:
        lines.append(report.labels["question.none"])
    for number, question in enumerate(waiting, start=1):
        lines.append(f"{number}. {clean(question.text)} ({asked_detail(question, report)})")
    if done:
        if waiting:
            lines.append("")
        lines.append(report.labels["section.answered"])
        lines.extend(_answered_lines(question, report) for question in done)
    if report.program_from_link is not None:
        when = local(report.program_from_link, zone_of(report)).date()
        lines += ["", say(report.labels, "program.from_link",
                          date=short_date(when, report.labels, report.generated_at.year))]
    return "\n".join(lines)


def _answered_lines(question: QuestionItem, report: VisitReport) -> str:
    """'- text (answered 5 Dec)', and the person's note of the answer on the next line."""
    line = f"- {clean(question.text)} ({answered_detail(question, report)})"
    answer = clean(question.answer or "")
    if answer:
        line += "\n  " + say(report.labels, "question.answer", answer=answer)
    return line
