"""The person aggregate: everything the bot knows about one person, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal, TypeVar, get_args

# What a value of these may be, said by its type, so that mypy refuses any other. Stored as
# these very strings (no migration); storage reads them back through one_of().
SessionStatus = Literal["active", "paused", "finished"]
EndReason = Literal["completed", "ended_early", "emergency", "crisis"]
ExerciseResult = Literal["done", "skipped", "pain"]
RoundKind = Literal["sets", "repetitions"]  # how a session's rounds are named to the person
PainMoment = Literal["before", "during", "after", "checkin"]
LevelLabel = Literal["emergency", "urgent", "call_doctor", "none"]  # triage.Level's labels
TriageSource = Literal["message", "checkin", "session", "follow_up", "someone_else"]
ReminderKind = Literal["session", "session_snooze", "session_nudge", "checkin",
                       "appointment_3d", "appointment_1d", "visit_done"]
ReminderStatus = Literal["pending", "sent", "missed", "cancelled"]
ChangeKind = Literal["exercises", "dose", "country", "provider"]

_Known = TypeVar("_Known", bound=str)


def one_of(value: str, known: tuple[_Known, ...]) -> _Known:
    """`value` as one of `known` (a Literal's values, `get_args(...)`); ValueError otherwise."""
    for each in known:
        if each == value:
            return each
    raise ValueError(f"{value!r} is none of {', '.join(known)}")


SESSION_STATUSES: tuple[SessionStatus, ...] = get_args(SessionStatus)
END_REASONS: tuple[EndReason, ...] = get_args(EndReason)
EXERCISE_RESULTS: tuple[ExerciseResult, ...] = get_args(ExerciseResult)
ROUND_KINDS: tuple[RoundKind, ...] = get_args(RoundKind)
PAIN_MOMENTS: tuple[PainMoment, ...] = get_args(PainMoment)
LEVEL_LABELS: tuple[LevelLabel, ...] = get_args(LevelLabel)
TRIAGE_SOURCES: tuple[TriageSource, ...] = get_args(TriageSource)
REMINDER_KINDS: tuple[ReminderKind, ...] = get_args(ReminderKind)
REMINDER_STATUSES: tuple[ReminderStatus, ...] = get_args(ReminderStatus)
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)


@dataclass
class Prescription:
    """One exercise in a person's program, with any dose their provider changed."""

    exercise_id: str
    enabled: bool = True
    hold_seconds: int | None = None
    repetitions: int | None = None
    sets: int | None = None


@dataclass
class Conversation:
    """Where the person is: the active flow, its state, scratch data and a revision.

    The revision grows on every change, so a button carrying an older revision is stale.
    """

    flow: str = "onboarding"
    state: str = "disclaimer"
    data: dict[str, Any] = field(default_factory=dict)
    revision: int = 0


@dataclass
class PlannedExercise:
    """One exercise of a session, with the dose fixed when the session started."""

    exercise_id: str
    hold_seconds: int
    rounds: int
    round_kind: RoundKind


@dataclass
class Cursor:
    """Where in the session the person is: exercise, round (1-based), side, step (-1: position)."""

    exercise: int = 0
    round: int = 1
    side: int = 0
    step: int = -1


@dataclass
class Hold:
    """A running timed hold: a deadline in the database, driven by the scheduler's tick."""

    started_at: datetime
    deadline: datetime
    message_id: int | None = None  # the message showing the countdown, edited in place


@dataclass
class PainRating:
    """A 0-10 pain rating, when it was given, and what it was about."""

    at: datetime
    rating: int
    moment: PainMoment
    where: str | None = None
    exercise_id: str | None = None


@dataclass
class Session:
    """One exercise session: its plan, where the person is, and how each exercise went."""

    started_at: datetime
    plan: list[PlannedExercise]
    id: int | None = None
    status: SessionStatus = "active"
    cursor: Cursor = field(default_factory=Cursor)
    hold: Hold | None = None
    results: dict[str, ExerciseResult] = field(default_factory=dict)  # by exercise id
    pain_before: int | None = None
    pain_after: int | None = None
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    # Advice already given in this session ("call_doctor"), so it is not said twice.
    advised: list[str] = field(default_factory=list)

    def pause(self) -> None:
        """Stop where it is, keeping everything; a running hold starts again on resume."""
        self.hold, self.status = None, "paused"


@dataclass
class TriageRecord:
    """One escalation decision, kept for the person's own export and for clinical review."""

    at: datetime
    level: LevelLabel
    rule: str | None
    catalogue_version: str
    source: TriageSource
    text: str | None = None  # what the person typed; stored, never logged


@dataclass
class FollowUp:
    """A check on the person after an escalation ("Did you manage to reach your doctor?")."""

    due_at: datetime
    level: LevelLabel
    rule: str | None


@dataclass
class Question:
    """Something the person wants to ask at their next visit, with when and why it came up."""

    text: str
    asked_at: datetime
    context: str | None = None
    id: int | None = None
    answered_at: datetime | None = None
    answer: str | None = None  # their own note of what they were told


@dataclass
class ProgramChange:
    """One change to the program after set-up (/program): what, from what to what, and when.

    what: exercises (before/after: the chosen exercise ids, comma-separated), dose (the
    exercise and dose field, the amounts as numbers), country (ISO codes; None: 112) or
    provider (the program of a provider's link was taken: before/after as for exercises;
    recorded in set-up too, so the visit report can say where the program came from).
    """

    at: datetime
    what: ChangeKind
    before: str | None
    after: str | None
    exercise_id: str | None = None
    dose_field: str | None = None


@dataclass(frozen=True)
class ProviderProgram:
    """What a provider set: the exercises switched on, any dose changed, a note, a visit."""

    doses: dict[str, dict[str, int]]  # exercise id -> dose field -> amount (changed only)
    note: str | None = None
    visit: date | None = None

    def to_data(self) -> dict[str, Any]:
        """The program as JSON-able data (stored with the link and in a conversation)."""
        return {"doses": self.doses, "note": self.note,
                "visit": self.visit.isoformat() if self.visit else None}

    @staticmethod
    def from_data(data: dict[str, Any]) -> ProviderProgram:
        """The program to_data() wrote."""
        visit = data.get("visit")
        return ProviderProgram({k: dict(v) for k, v in data["doses"].items()},
                               data.get("note"), date.fromisoformat(visit) if visit else None)


@dataclass(frozen=True)
class Offer:
    """A link a person opened, as the service found it: a program, or None (a code that is
    wrong, used up or expired: the person is never told which)."""

    program: ProviderProgram | None
    code: str | None = None  # kept only until consent, on the "I understand" button
    taken: bool = False  # its use was counted (the person has consented)


ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)  # Monday is 0, as in datetime.weekday()


@dataclass
class ReminderSettings:
    """When the person wants to be reminded, in their own time zone."""

    time_zone: str | None = None  # an IANA name ("Europe/Lisbon") or a fixed "UTC+05:30"
    session_time: time | None = None  # local time of the daily session reminder; None: off
    days: tuple[int, ...] = ALL_DAYS
    paused: bool = False
    quiet_start: time | None = None  # no reminder is sent between these local times
    quiet_end: time | None = None
    checkin_time: time | None = None  # the optional daily pain check-in prompt; None: off


@dataclass
class Reminder:
    """One message the scheduler will send: what, and when (UTC)."""

    kind: ReminderKind
    fire_at: datetime
    id: int | None = None
    status: ReminderStatus = "pending"


@dataclass
class Appointment:
    """The next visit: when (UTC) and with whom (as the person wrote it)."""

    at: datetime
    with_whom: str
    id: int | None = None


@dataclass
class ShareLink:
    """A read-only progress page the person shared: until when, and how often it was opened.

    `ref` is the person's own short name for it (buttons, the message that carries the
    address); the address's token is made when that message is sent, and only its hash is
    stored, never here."""

    ref: str
    created_at: datetime
    expires_at: datetime
    id: int | None = None
    revoked_at: datetime | None = None
    views: int = 0
    last_viewed_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        """Not stopped, and not past its end."""
        return self.revoked_at is None and now < self.expires_at


@dataclass
class Allowance:
    """Bookkeeping of bounds (bot/domain/allowance.py): today's counts, when each document
    was last sent, and which any-state buttons are live."""

    day: date | None = None
    counts: dict[str, int] = field(default_factory=dict)
    sent: dict[str, datetime] = field(default_factory=dict)
    live: dict[str, int] = field(default_factory=dict)  # family -> revision drawn at


@dataclass
class Person:
    """A person talking to the bot, identified by their Telegram user id."""

    telegram_user_id: int
    chat_id: int
    language: str
    created_at: datetime
    id: int | None = None
    consented_at: datetime | None = None
    country_code: str | None = None
    safety_seen_at: datetime | None = None
    onboarded_at: datetime | None = None
    program: dict[str, Prescription] = field(default_factory=dict)
    conversation: Conversation = field(default_factory=Conversation)
    first_session_at: datetime | None = None
    guided_holds: bool = False
    # The session not yet finished, or one that finished in this update (saved, then dropped).
    session: Session | None = None
    # Pain ratings given in this update; the repository appends them and empties the list.
    new_pain_ratings: list[PainRating] = field(default_factory=list)
    # The last 14 days of ratings as loaded (oldest first): the person's own baseline.
    recent_pain: list[PainRating] = field(default_factory=list)
    follow_up: FollowUp | None = None
    # After an urgent or emergency sign, the end of that local day: until then no exercise
    # reminder is sent (reminder_plan.rest_today).
    rest_until: datetime | None = None
    # Appended by the repository on save and then emptied, like new_pain_ratings.
    new_triage_records: list[TriageRecord] = field(default_factory=list)
    # Changes made with /program in this update; appended on save, then emptied.
    new_program_changes: list[ProgramChange] = field(default_factory=list)
    # Every saved question (bounded by question_book.MAX_QUESTIONS); the repository adds,
    # updates and deletes rows to match.
    questions: list[Question] = field(default_factory=list)
    # Set when the person confirmed /forget: the service deletes them instead of saving.
    forget: bool = False
    reminder_settings: ReminderSettings = field(default_factory=ReminderSettings)
    # Pending reminders as loaded; the repository writes back their status and new ones.
    reminders: list[Reminder] = field(default_factory=list)
    appointment: Appointment | None = None
    inactive: bool = False  # they blocked the bot; nothing is sent until they write again
    allowance: Allowance = field(default_factory=Allowance)
    # A program link opened in this update, as the service found it (never stored as such).
    link_offer: Offer | None = None
    # Progress pages shared and still active, as loaded, plus those made in this update;
    # the repository inserts new ones and stamps the stopped ones' revoked_at.
    share_links: list[ShareLink] = field(default_factory=list)

    @property
    def has_consented(self) -> bool:
        """True once the person accepted the disclaimer."""
        return self.consented_at is not None
