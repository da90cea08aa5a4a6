"""Program links in SQL: stored by their code's hash; a use is counted in one UPDATE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import ProviderProgram
from bot.domain.program.links import NewLink, StoredLink
from storage.models import ProgramLinkRow


class SqlProgramLinks:
    """Implements ProgramLinks on the unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`'s transaction; never commit."""
        self._session = session

    async def add(self, link: NewLink) -> None:
        """Store a new link (its hash, never its code)."""
        self._session.add(ProgramLinkRow(
            code_hash=link.hash, created_at=link.created_at, expires_at=link.expires_at,
            single_use=link.uses == "single", uses=0, program=link.program.to_data()))
        await self._session.flush()

    async def find(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        """The program of a link still usable now."""
        found = await self._session.execute(
            select(ProgramLinkRow.program).where(*_usable(code_hash, now)))
        program = found.scalar_one_or_none()
        return None if program is None else ProviderProgram.from_data(program)

    async def stored(self, code_hash: str, now: datetime) -> StoredLink | None:
        """The link with this hash, unless expired (used or not)."""
        found = await self._session.execute(
            select(ProgramLinkRow).where(ProgramLinkRow.code_hash == code_hash,
                                         ProgramLinkRow.expires_at > now))
        row = found.scalar_one_or_none()
        if row is None:
            return None
        return StoredLink(ProviderProgram.from_data(row.program),
                          "single" if row.single_use else "many", row.created_at, row.expires_at)

    async def take(self, code_hash: str, now: datetime) -> ProviderProgram | None:
        """Count one use of a usable link, in one statement, and give its program."""
        # The condition is re-checked by the UPDATE itself, so of two people taking a
        # single-use link at once, the second finds it used (PostgreSQL re-reads the row
        # after the first commits; SQLite has one writer).
        taken = await self._session.execute(
            update(ProgramLinkRow).where(*_usable(code_hash, now))
            .values(uses=ProgramLinkRow.uses + 1).returning(ProgramLinkRow.program))
        program = taken.scalar_one_or_none()
        return None if program is None else ProviderProgram.from_data(program)


def _usable(code_hash: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (ProgramLinkRow.code_hash == code_hash, ProgramLinkRow.expires_at > now,
            or_(ProgramLinkRow.single_use.is_(False), ProgramLinkRow.uses < 1))
