"""Creating a program link for a provider (the CLI and the form page): the link stored
hashed, its deep link, the QR code and the one-page handout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.domain.catalog import Catalog
from bot.domain.engine.replies import Line, Param
from bot.domain.model import Prescription, ProviderProgram
from bot.domain.onboarding.prompts import dose_summary
from bot.domain.program.links import (
    NewLink,
    Uses,
    code_hash,
    looks_like_code,
    make_program,
    new_link,
)
from bot.export.common import medium_date
from bot.services.documents import Wording
from bot.services.ports import UnitOfWork
from bot.services.program_links import create_link

if TYPE_CHECKING:
    from bot.export.handout import Handout

# The handout and the QR code are imported when one is made: they bring fpdf2 and
# matplotlib's fonts, which the bot's own process otherwise never loads (the documents are
# drawn in worker processes, bot/export/render_pool.py).


@dataclass(frozen=True)
class Request:
    """What a provider asked for: exercises, changed amounts, a note, a visit, uses, days."""

    exercises: list[str]
    doses: dict[str, dict[str, int]]
    note: str | None = None
    visit: date | None = None
    uses: Uses = "single"
    days: int = 30


@dataclass(frozen=True)
class Created:
    """A stored link: its deep link (the only place the code is), its QR and handout."""

    url: str
    expires_at: datetime
    uses: Uses
    qr_png: bytes
    pdf: bytes


def deep_link(username: str, code: str) -> str:
    """The Telegram link that opens the bot with /start CODE."""
    return f"https://t.me/{username.lstrip('@')}?start={code}"


async def prescribe(uow: UnitOfWork, catalog: Catalog, request: Request, now: datetime,
                    username: str, wording: Wording) -> Created:
    """Check the program (ValueError naming each problem), store the link, and make its
    QR code and handout."""
    program = make_program(catalog, request.exercises, request.doses, request.note,
                           request.visit)
    from bot.export.handout import handout_pdf
    from bot.export.qr import qr_png

    link = new_link(program, request.uses, now, request.days)
    url = deep_link(username, link.code)
    png = qr_png(url)
    pdf = handout_pdf(handout_of(link, url, png, catalog, wording))
    await create_link(uow, link)
    return Created(url, link.expires_at, link.uses, png, pdf)


async def handout_again(uow: UnitOfWork, catalog: Catalog, code: str, now: datetime,
                        username: str, wording: Wording) -> bytes | None:
    """The handout of a link not yet expired, for whoever holds its code (the code is the
    secret: the database cannot give it); None for any other code."""
    if not looks_like_code(code):
        return None
    async with uow:
        stored = await uow.links.stored(code_hash(code), now)
    if stored is None:
        return None
    from bot.export.handout import handout_pdf
    from bot.export.qr import qr_png

    link = NewLink(stored.program, stored.uses, stored.created_at, stored.expires_at, code)
    url = deep_link(username, code)
    return handout_pdf(handout_of(link, url, qr_png(url), catalog, wording))


def program_lines(program: ProviderProgram, catalog: Catalog,
                  wording: Wording) -> tuple[tuple[str, str], ...]:
    """(exercise, amount in words), in program order."""
    rows = []
    for exercise in catalog.exercises:
        if exercise.id in program.doses:
            item = Prescription(exercise.id, True, **program.doses[exercise.id])
            amounts = " · ".join(wording.words(part)
                                 for part in dose_summary(exercise, item).items)
            rows.append((wording.words(Line(f"exercise.{exercise.id}.name")), amounts))
    return tuple(rows)


def handout_of(link: NewLink, url: str, png: bytes, catalog: Catalog,
               wording: Wording) -> Handout:
    """The handout's words, in the wording's language (strings.toml's [handout]: it speaks
    to the patient, so its words are not the first-person report's)."""
    from bot.export.handout import Handout

    labels, program, words = wording.labels, link.program, wording.words

    def said(key: str, **params: Param) -> str:
        return words(Line(f"handout.{key}", params))

    rules = tuple(words(Line(f"safety.{rule}", {"number": n}))
                  for n, rule in enumerate(catalog.safety_rules, start=1))
    return Handout(
        title=said("title"),
        set_on=said("set_on", date=medium_date(link.created_at.date(), labels)),
        steps=(said("step_scan"), said("step_open"), said("step_start")),
        valid_until=said("valid_until" if link.uses == "many" else "valid_until_once",
                         date=medium_date(link.expires_at.date(), labels)),
        link=url, qr_png=png,
        program_heading=said("program"),
        heads=(labels["program.exercise"], labels["program.dose"]),
        program=program_lines(program, catalog, wording),
        note=said("note", note=program.note) if program.note else None,
        visit=(said("visit", date=medium_date(program.visit, labels))
               if program.visit else None),
        safety_heading=said("safety"),
        safety=rules,
        disclaimer=said("disclaimer"),
        source=said("source"),
        created_at=link.created_at,
    )
