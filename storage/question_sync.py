"""Loading a person's questions with them, and writing back what the domain changed.

The domain keeps the whole list (question_book.MAX_QUESTIONS at most) and adds, edits,
answers and removes questions in it; save() makes the rows match: new questions are
inserted (and get their ids), changed ones updated, missing ones deleted. Every statement is
limited to the person's own rows, so no id can reach another person's question.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import Question
from storage.models import QuestionRow
from storage.queries import QUESTIONS
from storage.triage_mapping import question_from_row, question_row, write_question


async def question_rows(session: AsyncSession, person_id: int) -> list[QuestionRow]:
    """The person's question rows, oldest first."""
    return list((await session.execute(QUESTIONS, {"person_id": person_id})).scalars())


def questions_of(rows: Iterable[QuestionRow]) -> list[Question]:
    """The domain's questions of these rows."""
    return [question_from_row(row) for row in rows]


async def write_questions(session: AsyncSession, person_id: int, questions: list[Question],
                          loaded: Iterable[QuestionRow] | None = None) -> None:
    """Insert, update and delete the person's question rows to match `questions`.

    `loaded`: every row of the person's as read in this transaction (under the person's
    lock, so still all of them); None reads them again.
    """
    rows = await question_rows(session, person_id) if loaded is None else loaded
    stored = {row.id: row for row in rows}
    wanted = {q.id for q in questions if q.id is not None}
    unknown = wanted - set(stored)
    if unknown:
        # A question id the person does not own (or one deleted meanwhile): a bug upstream.
        raise LookupError(f"questions {sorted(unknown)} are not this person's")
    gone = set(stored) - wanted
    if gone:
        await session.execute(
            delete(QuestionRow).where(QuestionRow.person_id == person_id,
                                      QuestionRow.id.in_(gone)),
            execution_options={"synchronize_session": "fetch"})
    added = []
    for question in questions:
        if question.id is None:
            row = question_row(person_id, question)
            session.add(row)
            added.append((question, row))
        else:
            write_question(stored[question.id], question)
    await session.flush()
    for question, row in added:
        question.id = row.id
