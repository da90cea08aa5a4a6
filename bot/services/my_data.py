"""A person's own data, as files: everything stored as JSON, and the pain ratings as CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bot.services.ports import UnitOfWork

# 2: times of day as "HH:MM", and every reminder row at the top level ("reminders"; 1 had
# only the pending ones, inside "person"). 3: "program_changes" (/program, with dates).
FORMAT_VERSION = 3


@dataclass(frozen=True)
class ExportFile:
    """One file to send: its name and bytes; as_text sends the text as messages instead, and
    as_photo as a picture (with the caption under it)."""

    filename: str
    content: bytes
    as_text: bool = False
    as_photo: bool = False
    caption: str | None = None


def _plain(value: Any) -> Any:
    """Dataclasses, dates, times and containers as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, time) and not (value.second or value.microsecond):
        return value.isoformat(timespec="minutes")  # "07:30", as people set it
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    # Failing here names the field's type; json.dumps would fail later, less clearly.
    raise TypeError(f"no JSON form for {type(value).__name__} in the data export")


async def my_data_files(uow: UnitOfWork, telegram_user_id: int, now: datetime) -> list[ExportFile]:
    """Everything stored about the person (JSON) and their pain ratings (CSV); [] if none."""
    async with uow:
        person = await uow.people.get(telegram_user_id)
        if person is None:
            return []
        sessions = await uow.people.session_history(telegram_user_id)
        pain = await uow.people.pain_history(telegram_user_id)
        triage = await uow.people.triage_history(telegram_user_id)
        reminders = await uow.people.reminder_history(telegram_user_id)
        changes = await uow.people.program_history(telegram_user_id)
    profile = _plain(person)
    # Shown elsewhere in full (questions, every reminder), or not stored (the rest).
    for transient in ("session", "recent_pain", "new_pain_ratings", "new_triage_records",
                      "new_program_changes", "questions", "reminders", "forget", "id"):
        profile.pop(transient, None)
    document = {
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "about": "Everything Backcoach has stored about you.",
        "person": profile,
        "sessions": _plain(sessions),
        "pain_ratings": _plain(pain),
        "triage_decisions": _plain(triage),
        "questions": _plain(person.questions),
        "reminders": _plain(reminders),
        "program_changes": _plain(changes),
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return [ExportFile("backcoach-my-data.json", text.encode()),
            ExportFile("backcoach-pain-ratings.csv", _pain_csv(pain).encode())]


def _pain_csv(ratings: list[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "moment", "rating_0_to_10", "where", "exercise"])
    for rating in ratings:
        writer.writerow([rating.at.isoformat(), rating.moment, rating.rating,
                         rating.where or "", rating.exercise_id or ""])
    return out.getvalue()
