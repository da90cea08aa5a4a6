"""Statuses and kinds are Literal types: storage reads back only the values they name, and
every value fits the column it is stored in."""

from __future__ import annotations

import pytest
from sqlalchemy import String
from sqlalchemy.orm import QueryableAttribute

from bot.domain import model
from bot.services.ports import STORED_REMINDER_STATUSES
from storage.models import (
    PainRatingRow,
    PersonRow,
    ProgramChangeRow,
    ReminderRow,
    SessionRow,
    TriageDecisionRow,
)


def test_one_of_gives_back_a_named_value_and_refuses_any_other() -> None:
    assert model.one_of("paused", model.SESSION_STATUSES) == "paused"
    with pytest.raises(ValueError, match="'pausd' is none of active, paused, finished"):
        model.one_of("pausd", model.SESSION_STATUSES)
    with pytest.raises(ValueError):
        model.one_of("claimed", model.REMINDER_STATUSES)  # the queue's, not the domain's
    assert model.one_of("claimed", STORED_REMINDER_STATUSES) == "claimed"


@pytest.mark.parametrize(("values", "column"), [
    (model.SESSION_STATUSES, SessionRow.status),
    (model.END_REASONS, SessionRow.end_reason),
    (model.PAIN_MOMENTS, PainRatingRow.moment),
    (model.LEVEL_LABELS, TriageDecisionRow.level),
    (model.LEVEL_LABELS, PersonRow.follow_up_level),
    (model.TRIAGE_SOURCES, TriageDecisionRow.source),
    (model.REMINDER_KINDS, ReminderRow.kind),
    (STORED_REMINDER_STATUSES, ReminderRow.status),
    (model.CHANGE_KINDS, ProgramChangeRow.what),
])
def test_every_value_fits_its_column(values: tuple[str, ...],
                                     column: QueryableAttribute[str | None]) -> None:
    kind = column.expression.type
    assert isinstance(kind, String) and kind.length is not None
    assert values and max(map(len, values)) <= kind.length
