"""Program links: a program a provider sets, handed over as a Telegram deep link's code.

The code is the only secret: 22 characters of URL-safe base64 (128 random bits), inside
Telegram's 64-character start parameter; only its SHA-256 is stored, so the database alone
cannot give a working link. Every dose is held to the program's own safe ranges, as a
person's own choice is in /start and /program.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from bot.domain.catalog import Catalog
from bot.domain.model import Offer, ProviderProgram

__all__ = ["Offer", "ProviderProgram", "code_hash", "make_program", "new_code", "new_link"]

CODE_BYTES = 16  # 128 bits of randomness
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")  # what new_code() makes, and nothing else
MAX_NOTE = 500  # a handout's note, not a letter
Uses = Literal["single", "many"]


def new_code() -> str:
    """A fresh code: 128 random bits as 22 URL-safe characters (no padding)."""
    return secrets.token_urlsafe(CODE_BYTES)


def code_hash(code: str) -> str:
    """What is stored and looked up: the code's SHA-256, in hex."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def looks_like_code(text: str) -> bool:
    """True when the text could be a code (the right length and alphabet)."""
    return CODE_PATTERN.fullmatch(text) is not None


@dataclass(frozen=True)
class NewLink:
    """A link to create: its program, how often it may be used, and when it expires."""

    program: ProviderProgram
    uses: Uses
    created_at: datetime
    expires_at: datetime
    code: str = field(default_factory=new_code)

    @property
    def hash(self) -> str:
        """The code's hash, as stored."""
        return code_hash(self.code)


@dataclass(frozen=True)
class StoredLink:
    """A link as stored (its code is not): for its handout again, while it has not expired."""

    program: ProviderProgram
    uses: Uses
    created_at: datetime
    expires_at: datetime


def new_link(program: ProviderProgram, uses: Uses, now: datetime, days: int) -> NewLink:
    """A link for this program, expiring `days` days from now."""
    if days < 1:
        raise ValueError("a link must last at least one day")
    return NewLink(program, uses, now, now + timedelta(days=days))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a provider's program: its kind, what it is about, and its words
    for the command line (the form says it in the clinician's language from the kind)."""

    kind: Literal["none_chosen", "unknown", "not_chosen", "no_field", "out_of_range",
                  "note_too_long"]
    text: str
    exercise_id: str = ""
    field: str = ""
    low: int = 0
    high: int = 0
    value: int = 0


class ProgramProblems(ValueError):
    """A program refused, with every problem at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.text for p in problems))
        self.problems = problems


def check_program(catalog: Catalog, chosen: list[str], doses: dict[str, dict[str, int]],
                  note: str | None) -> list[Problem]:
    """Every problem with a provider's program (none: it may be used)."""
    problems = []
    known = {e.id: e for e in catalog.exercises}
    if not chosen:
        problems.append(Problem("none_chosen", "choose at least one exercise"))
    for exercise_id in chosen:
        if exercise_id not in known:
            problems.append(Problem("unknown", f"unknown exercise {exercise_id!r}; known: "
                                    f"{', '.join(known)}", exercise_id))
    for exercise_id, fields in doses.items():
        exercise = known.get(exercise_id)
        if exercise is None or exercise_id not in chosen:
            problems.append(Problem("not_chosen", f"a dose for {exercise_id!r}, which is not "
                                    "chosen", exercise_id))
            continue
        for name, value in fields.items():
            limits = exercise.dose.get(name)
            if limits is None:
                problems.append(Problem("no_field", f"{exercise_id} has no {name!r}; it has "
                                        f"{', '.join(exercise.dose)}", exercise_id, name))
            elif not limits.allows(value):
                problems.append(Problem(
                    "out_of_range", f"{exercise_id} {name} must be {limits.min} to "
                    f"{limits.max}, not {value}", exercise_id, name, limits.min, limits.max,
                    value))
    if note is not None and len(note) > MAX_NOTE:
        problems.append(Problem("note_too_long", f"the note is over {MAX_NOTE} characters",
                                high=MAX_NOTE))
    return problems


def make_program(catalog: Catalog, chosen: list[str], doses: dict[str, dict[str, int]],
                 note: str | None, visit: date | None) -> ProviderProgram:
    """A checked program (ProgramProblems naming every problem); usual amounts stored as
    none."""
    problems = check_program(catalog, chosen, doses, note)
    if problems:
        raise ProgramProblems(problems)
    kept: dict[str, dict[str, int]] = {}
    for exercise in catalog.exercises:
        if exercise.id in chosen:
            changed = doses.get(exercise.id, {})
            kept[exercise.id] = {name: value for name, value in changed.items()
                                 if value != exercise.dose[name].default}
    return ProviderProgram(kept, (note or "").strip() or None, visit)
