"""The person, prescriptions and conversation rows of the hot path, through Core statements.

Every update reads a person with their program and conversation and writes back what
changed. Through the ORM that was objects in an identity map, a joined eager load made
unique, and a unit-of-work flush sorting its work: in the load benchmark's profiles more
CPU than the statements themselves. Here the rows are read into plain namespaces and
written with statements built once. The mapping stays person_mapping's: person_from_row,
write_fields, write_program and write_conversation only get and set column attributes, so
they work on these namespaces as on the ORM rows (a column they learn about is read and
written here too), and save() writes only what they changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import BindParameter, Row, Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import Person
from storage.models import ConversationRow, PersonRow, PrescriptionRow
from storage.person_mapping import (
    new_conversation,
    person_from_row,
    write_conversation,
    write_fields,
    write_program,
)
from storage.queries import HAS, PERSON_ID
from storage.sqlite_hops import write_later

PEOPLE: Table = PersonRow.__table__  # type: ignore[assignment]
CONVERSATIONS: Table = ConversationRow.__table__  # type: ignore[assignment]
PRESCRIPTIONS: Table = PrescriptionRow.__table__  # type: ignore[assignment]

_PERSON_KEYS = tuple(column.key for column in PEOPLE.c if column.key != "id")
_CONVERSATION_KEYS = ("flow", "state", "data", "revision")
_PRESCRIPTION_KEYS = tuple(column.key for column in PRESCRIPTIONS.c if column.key != "person_id")

# The person with HAS's answers, their conversation and one row per prescription (none:
# one row, its prescription columns NULL), prescriptions in the program's order.
_PERSON = (
    select(PEOPLE, *(check.label(f"has_{name}") for name, check in HAS.items()),
           *(CONVERSATIONS.c[key].label(f"conversation_{key}") for key in _CONVERSATION_KEYS),
           *(PRESCRIPTIONS.c[key].label(f"prescription_{key}") for key in _PRESCRIPTION_KEYS))
    .select_from(PEOPLE.outerjoin(CONVERSATIONS, CONVERSATIONS.c.person_id == PEOPLE.c.id)
                 .outerjoin(PRESCRIPTIONS, PRESCRIPTIONS.c.person_id == PEOPLE.c.id))
    .order_by(PRESCRIPTIONS.c.exercise_id)
)
# {"telegram_user_id"} or {"person_id"}, with {"since", "until"} of recent_pain_params.
PERSON_BY_TELEGRAM_ID = _PERSON.where(PEOPLE.c.telegram_user_id == bindparam("telegram_user_id"))
PERSON_BY_ID = _PERSON.where(PEOPLE.c.id == PERSON_ID)


def _setting(table: Table, keys: Sequence[str]) -> dict[str, Any]:
    # Bind names differ from the column names, which SQLAlchemy keeps for itself in SET.
    return {key: bindparam(f"new_{key}", type_=table.c[key].type) for key in keys}


_UPDATE_PERSON = update(PEOPLE).where(PEOPLE.c.id == PERSON_ID).values(
    _setting(PEOPLE, _PERSON_KEYS))
_CONVERSATION_WRITTEN = (*_CONVERSATION_KEYS, "updated_at")
# Their own person_id column is SQLAlchemy's name for its SET parameter: "owner" instead.
_OWNER: BindParameter[int] = bindparam("owner")
_UPDATE_CONVERSATION = update(CONVERSATIONS).where(
    CONVERSATIONS.c.person_id == _OWNER).values(_setting(CONVERSATIONS, _CONVERSATION_WRITTEN))
_INSERT_CONVERSATION = insert(CONVERSATIONS).values(
    person_id=_OWNER, **_setting(CONVERSATIONS, _CONVERSATION_WRITTEN))
_ONE_PRESCRIPTION = (PRESCRIPTIONS.c.person_id == _OWNER,
                     PRESCRIPTIONS.c.exercise_id == bindparam("exercise"))
_PRESCRIPTION_FIELDS = tuple(key for key in _PRESCRIPTION_KEYS if key != "exercise_id")
_UPDATE_PRESCRIPTION = update(PRESCRIPTIONS).where(*_ONE_PRESCRIPTION).values(
    _setting(PRESCRIPTIONS, _PRESCRIPTION_FIELDS))
_INSERT_PRESCRIPTION = insert(PRESCRIPTIONS).values(
    person_id=_OWNER, exercise_id=bindparam("exercise"),
    **_setting(PRESCRIPTIONS, _PRESCRIPTION_FIELDS))
_DELETE_PRESCRIPTION = delete(PRESCRIPTIONS).where(*_ONE_PRESCRIPTION)
# The columns are those given: a column write_fields leaves unset keeps its default.
_INSERT_PERSON = insert(PEOPLE).returning(PEOPLE.c.id)


class Columns(SimpleNamespace):
    """A row's columns as attributes, which person_mapping reads and writes as on a row."""


@dataclass
class LoadedPerson:
    """What get() read of a person: their columns, conversation and prescriptions as read."""

    person_id: int
    columns: dict[str, Any]
    conversation: tuple[Any, ...] | None
    prescriptions: dict[str, tuple[Any, ...]]

    def as_row(self) -> PersonRow:
        """A fresh namespace of what was read, shaped as person_mapping expects a row."""
        conversation = None if self.conversation is None else Columns(
            **dict(zip(_CONVERSATION_KEYS, self.conversation, strict=True)))
        prescriptions = [Columns(**dict(zip(_PRESCRIPTION_KEYS, values, strict=True)))
                         for values in self.prescriptions.values()]
        # Duck-typed: the mapping functions only get and set column attributes.
        return cast(PersonRow, Columns(id=self.person_id, **self.columns,
                                       conversation=conversation, prescriptions=prescriptions))


def loaded_person(rows: Sequence[Row[Any]]) -> tuple[LoadedPerson, dict[str, bool]]:
    """The person of _PERSON's rows (at least one), and HAS's answers by name."""
    first = rows[0]._mapping
    conversation = (None if first["conversation_flow"] is None
                    else tuple(first[f"conversation_{key}"] for key in _CONVERSATION_KEYS))
    prescriptions = {}
    for row in rows:
        values = tuple(row._mapping[f"prescription_{key}"] for key in _PRESCRIPTION_KEYS)
        if values[0] is not None:
            prescriptions[values[0]] = values
    loaded = LoadedPerson(first["id"], {key: first[key] for key in _PERSON_KEYS},
                          conversation, prescriptions)
    return loaded, {name: bool(first[f"has_{name}"]) for name in HAS}


def person_of(loaded: LoadedPerson) -> Person:
    """The domain Person of what was read (no session, questions, reminders yet)."""
    return person_from_row(loaded.as_row())


async def write_person(session: AsyncSession, loaded: LoadedPerson, person: Person,
                       clock: Callable[[], datetime]) -> None:
    """Write the person's columns, program and conversation where they differ from what
    was read; the conversation's updated_at moves only when it changed."""
    row = loaded.as_row()
    write_fields(row, person)
    write_program(row, person.program)
    write_conversation(row, person.conversation, clock)
    person_id = loaded.person_id
    if any(getattr(row, key) != value for key, value in loaded.columns.items()):
        await write_later(session, _UPDATE_PERSON, {"person_id": person_id, **{
            f"new_{key}": getattr(row, key) for key in _PERSON_KEYS}})
    await _write_conversation(session, person_id, loaded.conversation, row.conversation)
    await _write_prescriptions(session, person_id, loaded.prescriptions, row.prescriptions)


async def add_person(session: AsyncSession, person: Person, now: datetime) -> int:
    """Insert a new person with their program and conversation (stamped `now`); their id."""
    # allowance: write_fields compares before writing, as on a new ORM row (None).
    row = Columns(prescriptions=[], conversation=None, allowance=None)
    write_fields(cast(PersonRow, row), person)
    write_program(cast(PersonRow, row), person.program)
    values = {key: getattr(row, key) for key in _PERSON_KEYS if hasattr(row, key)}
    # A duplicate telegram_user_id fails here, as the ORM's flush did.
    person_id: int = (await session.execute(_INSERT_PERSON, values)).scalar_one()
    if row.prescriptions:
        await write_later(session, _INSERT_PRESCRIPTION, [
            {"owner": person_id, "exercise": prescription.exercise_id,
             **{f"new_{key}": getattr(prescription, key) for key in _PRESCRIPTION_FIELDS}}
            for prescription in row.prescriptions])
    conversation = new_conversation(person.conversation, now)
    await write_later(session, _INSERT_CONVERSATION, {"owner": person_id, **{
        f"new_{key}": getattr(conversation, key) for key in _CONVERSATION_WRITTEN}})
    return person_id


async def _write_conversation(session: AsyncSession, person_id: int,
                              before: tuple[Any, ...] | None, after: Any) -> None:
    values = tuple(getattr(after, key) for key in _CONVERSATION_KEYS)
    if values == before:
        return
    params = {"owner": person_id,
              **{f"new_{key}": getattr(after, key) for key in _CONVERSATION_WRITTEN}}
    await write_later(session, _INSERT_CONVERSATION if before is None else _UPDATE_CONVERSATION,
                      params)


async def _write_prescriptions(session: AsyncSession, person_id: int,
                               before: dict[str, tuple[Any, ...]], after: list[Any]) -> None:
    # One executemany per kind of change: a program is set or changed all at once (five
    # prescriptions in onboarding), and on SQLite each statement is a hop to its thread.
    kept = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for prescription in after:
        values = tuple(getattr(prescription, key) for key in _PRESCRIPTION_KEYS)
        exercise_id = values[0]
        kept.add(exercise_id)
        if before.get(exercise_id) == values:
            continue
        params = {"owner": person_id, "exercise": exercise_id,
                  **{f"new_{key}": getattr(prescription, key) for key in _PRESCRIPTION_FIELDS}}
        (updates if exercise_id in before else inserts).append(params)
    deletes = [{"owner": person_id, "exercise": exercise_id}
               for exercise_id in sorted(before.keys() - kept)]
    for statement, rows in ((_UPDATE_PRESCRIPTION, updates), (_INSERT_PRESCRIPTION, inserts),
                            (_DELETE_PRESCRIPTION, deletes)):
        if rows:
            await write_later(session, statement, rows)
