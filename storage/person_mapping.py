"""Conversion between the Person aggregate (without its session and histories) and its rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime

from bot.domain.limits import allowance
from bot.domain.model import LEVEL_LABELS, Conversation, FollowUp, Person, Prescription, one_of
from storage.models import ConversationRow, PersonRow, PrescriptionRow
from storage.reminder_mapping import settings_from_row, write_settings


def person_from_row(row: PersonRow) -> Person:
    """The domain Person of a row with program and conversation loaded.

    No session, reminders or appointment: the repository loads those separately.
    """
    conversation = (
        Conversation()
        if row.conversation is None
        else Conversation(
            flow=row.conversation.flow,
            state=row.conversation.state,
            # A private copy: the domain mutates it, and the ORM compares against it later.
            data=copy.deepcopy(row.conversation.data),
            revision=row.conversation.revision,
        )
    )
    return Person(
        id=row.id,
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        language=row.language,
        created_at=row.created_at,
        consented_at=row.consented_at,
        country_code=row.country_code,
        safety_seen_at=row.safety_seen_at,
        onboarded_at=row.onboarded_at,
        first_session_at=row.first_session_at,
        guided_holds=row.guided_holds,
        program={
            p.exercise_id: Prescription(
                exercise_id=p.exercise_id,
                enabled=p.enabled,
                hold_seconds=p.hold_seconds,
                repetitions=p.repetitions,
                sets=p.sets,
            )
            for p in row.prescriptions
        },
        conversation=conversation,
        follow_up=follow_up_from_row(row),
        rest_until=row.rest_until,
        reminder_settings=settings_from_row(row),
        inactive=row.inactive,
        allowance=allowance.from_json(row.allowance),
    )


def follow_up_from_row(row: PersonRow) -> FollowUp | None:
    """The pending follow-up kept in the people columns, or None."""
    if row.follow_up_due_at is None:
        return None
    if row.follow_up_level is None:
        # Only write_fields sets these columns, always together.
        raise ValueError(f"person {row.id}: follow-up due without a level")
    return FollowUp(due_at=row.follow_up_due_at, level=one_of(row.follow_up_level, LEVEL_LABELS),
                    rule=row.follow_up_rule)


def write_fields(row: PersonRow, person: Person) -> None:
    """Copy `person`'s plain fields, follow-up and reminder settings into `row`.

    Not id, program or conversation; reminders and the appointment have their own tables.
    """
    row.telegram_user_id = person.telegram_user_id
    row.chat_id = person.chat_id
    row.language = person.language
    row.created_at = person.created_at
    row.consented_at = person.consented_at
    row.country_code = person.country_code
    row.safety_seen_at = person.safety_seen_at
    row.onboarded_at = person.onboarded_at
    row.first_session_at = person.first_session_at
    row.guided_holds = person.guided_holds
    follow_up = person.follow_up
    # None clears all three columns.
    row.follow_up_due_at = None if follow_up is None else follow_up.due_at
    row.follow_up_level = None if follow_up is None else follow_up.level
    row.follow_up_rule = None if follow_up is None else follow_up.rule
    row.rest_until = person.rest_until
    write_settings(row, person.reminder_settings)
    row.inactive = person.inactive
    written = allowance.to_json(person.allowance)
    if row.allowance != written:  # a JSON column is compared, not tracked in place
        row.allowance = written
    if not person.inactive:
        row.inactive_since = None  # they wrote again: the clock for removing them stops


def write_program(row: PersonRow, program: dict[str, Prescription]) -> None:
    """Make row.prescriptions match `program`, updating rows in place."""
    existing = {p.exercise_id: p for p in row.prescriptions}
    for exercise_id, prescription in program.items():
        if exercise_id != prescription.exercise_id:
            raise ValueError(f"program key {exercise_id!r} names {prescription.exercise_id!r}")
        target = existing.pop(exercise_id, None)
        if target is None:
            target = PrescriptionRow(exercise_id=exercise_id)
            row.prescriptions.append(target)
        target.enabled = prescription.enabled
        target.hold_seconds = prescription.hold_seconds
        target.repetitions = prescription.repetitions
        target.sets = prescription.sets
    for dropped in existing.values():
        # delete-orphan turns the removal from the collection into a DELETE.
        row.prescriptions.remove(dropped)


def new_conversation(conversation: Conversation, now: datetime) -> ConversationRow:
    """A conversations row for `conversation`, stamped `now`."""
    return ConversationRow(
        flow=conversation.flow,
        state=conversation.state,
        data=copy.deepcopy(conversation.data),
        revision=conversation.revision,
        updated_at=now,
    )


def write_conversation(
    row: PersonRow, conversation: Conversation, clock: Callable[[], datetime]
) -> None:
    """Update row.conversation; updated_at moves only when something changed."""
    current = row.conversation
    if current is None:
        row.conversation = new_conversation(conversation, clock())
        return
    if (current.flow, current.state, current.data, current.revision) == (
        conversation.flow,
        conversation.state,
        conversation.data,
        conversation.revision,
    ):
        return
    current.flow = conversation.flow
    current.state = conversation.state
    current.data = copy.deepcopy(conversation.data)
    current.revision = conversation.revision
    current.updated_at = clock()
