"""The progress pages people share (domain ShareLink): one row a page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.model_base import Base, UTCDateTime


class ShareLinkRow(Base):
    """A shared progress page: whose, until when, stopped when, opened how often.

    token_hash is the SHA-256 (hex) of the token in the page's address, set when the
    message carrying it is sent (NULL until then: the address does not exist yet); the
    token itself is never stored.
    """

    __tablename__ = "share_links"
    __table_args__ = (
        UniqueConstraint("person_id", "ref", name="uq_share_links_person_id_ref"),
        # Loading a person's open pages: by person, those not stopped, by end.
        Index("ix_share_links_person_id_expires_at", "person_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    views: Mapped[int] = mapped_column(Integer, server_default="0")
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
