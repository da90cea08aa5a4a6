"""Tables of the bot's own bookkeeping rather than of a person's record: the update log,
shared settings, and messages the scheduler still has to send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.model_base import Base, UTCDateTime


class ProcessedUpdateRow(Base):
    """A Telegram update id that was already applied."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The answer (replies as JSON) until it was sent: after a crash in between, a redelivered
    # update gets its answer again instead of silence.
    replies: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Whose answer is kept, while it is (cleared with it): /forget drops them too.
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class BotSettingRow(Base):
    """A value the bot generated for itself and every replica shares (the webhook secret).

    Holds nothing about any person.
    """

    __tablename__ = "bot_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """A message the scheduler owes a person (a hold's end, a follow-up), kept until sent.

    Written in the transaction that moved the person on, so neither a failed send nor a
    crash loses it. due_at is when it may next be tried, and doubles as a lease: whoever
    takes it moves due_at ahead, so another process leaves it alone meanwhile.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The replies and the revision and language to send them with (bot.domain.engine.replies_codec).
    replies: Mapped[str] = mapped_column(Text)
    done: Mapped[int] = mapped_column(Integer)  # replies already sent, from a cut-short try
    attempts: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProgramLinkRow(Base):
    """A program a provider set, behind a deep link's code (bot/domain/program/links.py).

    Only the code's SHA-256 is kept: the table alone gives no working link. Holds nothing
    about any person (a use is only counted).
    """

    __tablename__ = "program_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    single_use: Mapped[bool] = mapped_column(Boolean)
    uses: Mapped[int] = mapped_column(Integer, server_default="0")
    program: Mapped[dict[str, Any]] = mapped_column(JSON)  # ProviderProgram.to_data()
