"""Conversion between the domain TriageRecord / Question and their rows.

The person's pending FollowUp lives in columns of `people` (see storage.person_mapping).
"""

from __future__ import annotations

from bot.domain.model import Question, TriageRecord
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
        level=row.level,
        rule=row.rule,
        catalogue_version=row.catalogue_version,
        source=row.source,
        text=row.text,
    )


def question_row(person_id: int, question: Question) -> QuestionRow:
    """A new, unanswered questions row for `question` (its id is ignored)."""
    return QuestionRow(
        person_id=person_id,
        text=question.text,
        asked_at=question.asked_at,
        context=question.context,
        answered_at=question.answered_at,
    )


def question_from_row(row: QuestionRow) -> Question:
    """The domain Question of a row, with its id."""
    return Question(text=row.text, asked_at=row.asked_at, context=row.context, id=row.id,
                    answered_at=row.answered_at)
