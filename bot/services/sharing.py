"""Shared progress pages: making a page's address when its message is sent, and opening
the page from that address.

The token is 256 random bits (`secrets.token_urlsafe(32)`), made only when the message
carrying it is about to be sent, so it is never kept anywhere but in that message: the
database has its SHA-256, looked up by index and compared again in constant time. A
message sent again (Telegram failed partway) gets a new token; the one before stops
opening. A stopped or ended page is "gone" (the page says so); a token nobody has is
"unknown". Each opening is counted, for the person's /share list.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.domain.catalog import Catalog
from bot.export.render_pool import RenderFailed, draw
from bot.export.report import VisitReport
from bot.services.documents import Wording
from bot.services.ports import Renderer, UnitOfWork
from bot.services.visit_export import build_report, load_history

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters of the URL-safe alphabet; anything else is nobody's.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


async def make_address(uow: UnitOfWork, telegram_user_id: int, ref: str,
                       now: datetime) -> tuple[str, datetime] | None:
    """A fresh token for the person's open page `ref` (its hash stored and committed) and
    when the page ends; None when no such page is open."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with uow:
        ends = await uow.shares.set_token(telegram_user_id, ref, token_hash(token), now)
        if ends is None:
            return None
        await uow.commit()
    return token, ends


@dataclass(frozen=True)
class SharedView:
    """What a page's address shows: the report and chart while open, else why not."""

    status: Literal["open", "gone", "unknown"]
    language: str | None = None
    report: VisitReport | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    chart: bytes | None = None  # the pain chart as PNG; None without ratings or in time
    ends: datetime | None = None  # when the page stops opening


async def view_page(uow: UnitOfWork, token: str, now: datetime, catalog: Catalog,
                    renderer: Renderer, wording_of: Callable[[str], Wording]) -> SharedView:
    """Open the page of a token: count the view and gather the report, in the person's
    language (`wording_of(language)`)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return SharedView("unknown")
    digest = token_hash(token)
    async with uow:
        page = await uow.shares.find(digest)
        # The index found it by hash; compared again in constant time all the same.
        if page is None or not hmac.compare_digest(page.token_hash, digest):
            return SharedView("unknown")
        if page.revoked_at is not None or now >= page.expires_at:
            return SharedView("gone", page.language)
        await uow.shares.record_view(page.link_id, now)
        await uow.commit()
    history = await load_history(uow, page.telegram_user_id)
    if history is None:  # forgotten between the two transactions
        return SharedView("gone", page.language)
    wording = wording_of(page.language)
    report = build_report(history, catalog, now, wording.words, wording.labels)
    chart = None
    if report.pain:
        try:
            chart = await renderer.run("pain_chart", draw, "bot.export.chart:pain_chart_png",
                                       report)
        except RenderFailed:
            chart = None  # the page says the chart could not be drawn
    return SharedView("open", page.language, report, wording.labels, chart, page.expires_at)
