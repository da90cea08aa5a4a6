"""The progress pages people share: loaded with the person (those still open), written
back on save (new ones inserted, stopped ones stamped), and found by their token's hash
for the page itself (bot/services/sharing.py).

save() never writes `views` or `last_viewed_at`: those belong to the page's requests,
which count a view without the person's lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.model import ShareLink
from bot.services.ports import SharedPage
from storage.models import PersonRow
from storage.share_models import ShareLinkRow

# {"person_id", "until"}: the person's open pages, oldest first.
OPEN_SHARES = (
    select(ShareLinkRow)
    .where(ShareLinkRow.person_id == bindparam("person_id"), ShareLinkRow.revoked_at.is_(None),
           ShareLinkRow.expires_at > bindparam("until"))
    .order_by(ShareLinkRow.created_at, ShareLinkRow.id)
)


def _link(row: ShareLinkRow) -> ShareLink:
    return ShareLink(ref=row.ref, created_at=row.created_at, expires_at=row.expires_at,
                     id=row.id, revoked_at=row.revoked_at, views=row.views,
                     last_viewed_at=row.last_viewed_at)


async def open_share_links(session: AsyncSession, person_id: int,
                           now: datetime) -> list[ShareLink]:
    """The person's pages still open at `now`, oldest first."""
    found = await session.execute(OPEN_SHARES, {"person_id": person_id, "until": now})
    return [_link(row) for row in found.scalars()]


async def write_share_links(session: AsyncSession, person_id: int,
                            links: list[ShareLink]) -> None:
    """Insert the new pages (they get ids) and stamp the stopped ones, the person's only."""
    for link in links:
        if link.id is None:
            row = ShareLinkRow(person_id=person_id, ref=link.ref, created_at=link.created_at,
                               expires_at=link.expires_at, revoked_at=link.revoked_at,
                               views=0)
            session.add(row)
            await session.flush()
            link.id = row.id
        elif link.revoked_at is not None:
            await session.execute(
                update(ShareLinkRow)
                .where(ShareLinkRow.id == link.id, ShareLinkRow.person_id == person_id,
                       ShareLinkRow.revoked_at.is_(None))
                .values(revoked_at=link.revoked_at),
                execution_options={"synchronize_session": False})


class SqlShareLinks:
    """Implements bot.services.ports.ShareLinks: tokens and views of shared pages."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session` (never commits)."""
        self._session = session

    async def set_token(self, telegram_user_id: int, ref: str, token_hash: str,
                        now: datetime) -> datetime | None:
        """Give the person's open page `ref` this token's hash (replacing any before);
        when the page ends, or None when the person has no such open page."""
        person = select(PersonRow.id).where(PersonRow.telegram_user_id == telegram_user_id)
        found = await self._session.execute(
            update(ShareLinkRow)
            .where(ShareLinkRow.person_id == person.scalar_subquery(), ShareLinkRow.ref == ref,
                   ShareLinkRow.revoked_at.is_(None), ShareLinkRow.expires_at > now)
            .values(token_hash=token_hash)
            .returning(ShareLinkRow.expires_at),
            execution_options={"synchronize_session": False})
        return found.scalar_one_or_none()

    async def find(self, token_hash: str) -> SharedPage | None:
        """The page whose token has this hash, stopped or ended ones too."""
        found = await self._session.execute(
            select(ShareLinkRow.id, PersonRow.telegram_user_id, ShareLinkRow.token_hash,
                   ShareLinkRow.expires_at, ShareLinkRow.revoked_at, PersonRow.language)
            .join(PersonRow, PersonRow.id == ShareLinkRow.person_id)
            .where(ShareLinkRow.token_hash == token_hash))
        row = found.one_or_none()
        if row is None or row.token_hash is None:
            return None
        return SharedPage(row.id, row.telegram_user_id, row.token_hash, row.expires_at,
                          row.revoked_at, row.language)

    async def record_view(self, link_id: int, at: datetime) -> None:
        """One more view of the page, now."""
        await self._session.execute(
            update(ShareLinkRow).where(ShareLinkRow.id == link_id)
            .values(views=ShareLinkRow.views + 1, last_viewed_at=at),
            execution_options={"synchronize_session": False})
