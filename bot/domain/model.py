"""The person aggregate: everything the bot knows about one person, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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

    @property
    def has_consented(self) -> bool:
        """True once the person accepted the disclaimer."""
        return self.consented_at is not None
