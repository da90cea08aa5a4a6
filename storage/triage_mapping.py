"""Conversion between the domain TriageRecord / Question and their rows.

The person's pending FollowUp lives in columns of `people` (see storage.person_mapping).
"""

from __future__ import annotations

from bot.domain.model import LEVEL_LABELS, TRIAGE_SOURCES, Question, TriageRecord, one_of
from storage.models import QuestionRow, TriageDecisionRow


def triage_decision_row(person_id: int, record: TriageRecord) -> TriageDecisionRow:
    """A new triage_decisions row for `record`."""
    return TriageDecisionRow(
        person_id=person_id,
        at=record.at,
        level=record.level,
        rule=record.rule,
        catalogue_version=record.catalogue_version,
        source=record.source,
        text=record.text,
    )


def triage_record_from_row(row: TriageDecisionRow) -> TriageRecord:
    """The domain TriageRecord of a row."""
    return TriageRecord(
        at=row.at,
        level=one_of(row.level, LEVEL_LABELS),
        rule=row.rule,
        catalogue_version=row.catalogue_version,
        source=one_of(row.source, TRIAGE_SOURCES),
        text=row.text,
    )


def question_row(person_id: int, question: Question) -> QuestionRow:
    """A new questions row for `question` (its id is ignored)."""
    row = QuestionRow(person_id=person_id)
    write_question(row, question)
    return row


def write_question(row: QuestionRow, question: Question) -> None:
    """Copy a question's fields onto its row (the id and owner stay)."""
    row.text = question.text
    row.asked_at = question.asked_at
    # The column holds 200 characters; the context is a few short key=value pairs.
    row.context = question.context[:200] if question.context else None
    row.answered_at = question.answered_at
    row.answer = question.answer


def question_from_row(row: QuestionRow) -> Question:
    """The domain Question of a row, with its id."""
    return Question(text=row.text, asked_at=row.asked_at, context=row.context, id=row.id,
                    answered_at=row.answered_at, answer=row.answer)
