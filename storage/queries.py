"""Queries and checks the repositories share, kept apart to keep each module short.

The statements every update runs are built once, with bind parameters: building a
statement and computing its cache key on every call was a visible part of the CPU an
update costs (the load benchmark). Execute them with a dict of the parameters named.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BindParameter, bindparam, exists, select
from sqlalchemy.orm import joinedload

from storage.models import (
    AppointmentRow,
    PainRatingRow,
    PersonRow,
    QuestionRow,
    ReminderRow,
    SessionRow,
)
from storage.reminder_mapping import PENDING
from storage.share_models import ShareLinkRow

# How far back Person.recent_pain reaches: the person's own baseline.
RECENT_PAIN_WINDOW = timedelta(days=14)
FINISHED = "finished"  # a session's last status
PERSON_ID: BindParameter[int] = bindparam("person_id")

# {"since", "until", "person_id"}. Oldest first; walks ix_pain_ratings_person_id_at.
RECENT_PAIN = (
    select(PainRatingRow)
    .where(PainRatingRow.person_id == PERSON_ID, PainRatingRow.at >= bindparam("since"),
           PainRatingRow.at <= bindparam("until"))
    .order_by(PainRatingRow.at, PainRatingRow.id)
)

# Whether the person has any of what get() would otherwise read in a statement each: most
# updates need none of it loaded, and an empty answer costs a round trip all the same.
# Under the person's lock nothing of theirs can appear meanwhile (only their own updates,
# the hold tick and the dispatcher, which take the same lock, add rows).
HAS = {
    "session": exists().where(SessionRow.person_id == PersonRow.id,
                              SessionRow.status != FINISHED),
    "pain": exists().where(PainRatingRow.person_id == PersonRow.id,
                           PainRatingRow.at >= bindparam("since"),
                           PainRatingRow.at <= bindparam("until")),
    "questions": exists().where(QuestionRow.person_id == PersonRow.id),
    "reminders": exists().where(ReminderRow.person_id == PersonRow.id,
                                ReminderRow.status == PENDING),
    "appointment": exists().where(AppointmentRow.person_id == PersonRow.id),
    "shares": exists().where(ShareLinkRow.person_id == PersonRow.id,
                             ShareLinkRow.revoked_at.is_(None),
                             ShareLinkRow.expires_at > bindparam("until")),
}

# {"telegram_user_id"} or {"person_id"}, with {"since", "until"} of recent_pain_params:
# the person with prescriptions and conversation, and HAS's answers in its order.
# Rows cached in this session may predate a lock; populate_existing reloads them.
_PERSON = (select(PersonRow, *(check.label(f"has_{name}") for name, check in HAS.items()))
           .options(joinedload(PersonRow.prescriptions), joinedload(PersonRow.conversation))
           .execution_options(populate_existing=True))
PERSON_BY_TELEGRAM_ID = _PERSON.where(PersonRow.telegram_user_id == bindparam("telegram_user_id"))
PERSON_BY_ID = _PERSON.where(PersonRow.id == PERSON_ID)
# {"telegram_user_id"}: the person's id, their row locked until the transaction ends.
LOCK_PERSON = (select(PersonRow.id)
               .where(PersonRow.telegram_user_id == bindparam("telegram_user_id"))
               .with_for_update())

# {"person_id"}: the newest unfinished session (at most one is expected).
OPEN_SESSION = (
    select(SessionRow)
    .where(SessionRow.person_id == PERSON_ID, SessionRow.status != FINISHED)
    .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
    .limit(1)
    .execution_options(populate_existing=True)
)

# {"person_id"}: the person's questions, oldest first.
QUESTIONS = (
    select(QuestionRow)
    .where(QuestionRow.person_id == PERSON_ID)
    .order_by(QuestionRow.asked_at, QuestionRow.id)
    .execution_options(populate_existing=True)
)

# {"person_id"}: pending reminders, earliest first, row-locked until the transaction ends.
# The lock (PostgreSQL; SQLite serialises writers anyway) keeps the queue's claim, which
# skips locked rows, away from reminders a handler has loaded and may change or cancel.
PENDING_REMINDERS = (
    select(ReminderRow)
    .where(ReminderRow.person_id == PERSON_ID, ReminderRow.status == PENDING)
    .order_by(ReminderRow.fire_at, ReminderRow.id)
    .with_for_update()
    .execution_options(populate_existing=True)
)

# {"person_id"}: the person's appointment, if any.
APPOINTMENT = (select(AppointmentRow).where(AppointmentRow.person_id == PERSON_ID)
               .execution_options(populate_existing=True))


def recent_pain_params(person_id: int | None, now: datetime) -> dict[str, object]:
    """RECENT_PAIN's parameters for this person at `now` (None: the window only)."""
    return {"person_id": person_id, "since": now - RECENT_PAIN_WINDOW, "until": now}
