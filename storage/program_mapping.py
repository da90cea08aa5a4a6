"""Conversion between the domain ProgramChange and its program_changes row."""

from __future__ import annotations

from bot.domain.model import CHANGE_KINDS, ProgramChange, one_of
from storage.models import ProgramChangeRow


def program_change_row(person_id: int, change: ProgramChange) -> ProgramChangeRow:
    """A new program_changes row for `change`."""
    return ProgramChangeRow(person_id=person_id, at=change.at, what=change.what,
                            exercise_id=change.exercise_id, dose_field=change.dose_field,
                            before=change.before, after=change.after)


def program_change_from_row(row: ProgramChangeRow) -> ProgramChange:
    """The domain ProgramChange of a row."""
    return ProgramChange(at=row.at, what=one_of(row.what, CHANGE_KINDS), before=row.before,
                         after=row.after, exercise_id=row.exercise_id,
                         dose_field=row.dose_field)
