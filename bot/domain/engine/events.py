"""What a person did, as the domain sees it: commands, text, button presses, other updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Command:
    """A slash command such as /start, with whatever followed it."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class Text:
    """A typed message that is not a command."""

    text: str


@dataclass(frozen=True)
class Press:
    """A press on one of our inline buttons, decoded from its callback data."""

    action: str
    arg: str
    revision: int
    message_id: int | None = None  # the message the button was on, when known


@dataclass(frozen=True)
class Unreadable:
    """Anything the bot cannot read: a sticker, photo, voice note, edit, forged button..."""

    kind: str


@dataclass(frozen=True)
class Edited:
    """A person edited an earlier message: only checked for warning signs, never re-applied."""

    text: str


@dataclass(frozen=True)
class Timer:
    """Something the scheduler noticed for this person, e.g. a hold's deadline passing."""

    name: str


@dataclass(frozen=True)
class ReminderDue:
    """The scheduler claimed one of the person's reminders: say it (or record it missed)."""

    reminder_id: int
    kind: str
    fire_at: datetime
    missed: bool = False  # over an hour late (the bot was down): recorded, not sent


@dataclass(frozen=True)
class LocationShared:
    """The person shared a location; only the time zone it lies in is kept."""

    zone: str | None


Event = (Command | Text | Press | Unreadable | Timer | Edited | ReminderDue | LocationShared)
# What a flow's table can have a row for; the rest is answered by the routing table.
FlowEvent = Text | Press | Timer | LocationShared
