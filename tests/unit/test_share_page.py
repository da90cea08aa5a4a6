"""The shared page's HTML and opening it: what the visit PDF shows, escaped, in the
person's language; and a token is opened only when well formed, its hash matching in a
constant-time comparison, while the page is neither stopped nor ended."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.export.page import message_page, progress_page
from bot.export.report import QuestionItem
from bot.loaders.content import Content
from bot.services.ports import SharedPage
from bot.services.sharing import token_hash, view_page
from bot.telegram.files import labels_of, wording
from tests.unit.fakes import FakeShares, FakeUnitOfWork
from tests.unit.report_fixtures import NOW, report

TOKEN = "A" * 43
HOSTILE = '<script>alert("x")</script><img src="http://evil.example/x.png">'


def test_the_page_shows_what_the_pdf_shows_escaped() -> None:
    built = report("three_months")
    built = dataclasses.replace(built, questions=[
        QuestionItem(HOSTILE, NOW - timedelta(days=1), None, None, None), *built.questions])
    title, body = progress_page(built, b"\x89PNG fake", NOW + timedelta(days=7))
    assert title == "My progress with Backcoach"
    for heading in ("The program I am doing now", "My pain over time",
                    "My exercise sessions", "Warning signs I reported", "My open questions"):
        assert f"<h2>{heading}</h2>" in body
    assert "Call the doctor" in body and "Week starting" in body  # levels, weeks
    assert '<img src="data:image/png;base64,iVBOR' in body
    assert "<script" not in body and "evil.example/x.png\"" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_the_page_is_in_the_persons_language(content: Content) -> None:
    spanish = labels_of(content.locales.texts("es"))
    built = dataclasses.replace(report("one_week"), labels=spanish)
    title, body = progress_page(built, None, NOW + timedelta(days=1))
    assert title == "Mi progreso con Backcoach" and "Mis preguntas pendientes" in body
    assert "no se pudo dibujar el gráfico" in body  # ratings, but no chart in time
    assert message_page(spanish, "gone")[0] == "Esta página ya no se comparte"


class OneShare(FakeShares):
    def __init__(self, page: SharedPage | None) -> None:
        self.page, self.asked, self.views = page, 0, 0

    async def find(self, token_hash: str) -> SharedPage | None:
        self.asked += 1
        return self.page

    async def record_view(self, link_id: int, at: datetime) -> None:
        self.views += 1


class ShareUow(FakeUnitOfWork):
    def __init__(self, shares: OneShare) -> None:
        super().__init__()
        self.one = shares

    async def __aenter__(self) -> Any:
        await super().__aenter__()
        self.shares = self.one
        return self


def a_page(**changes: Any) -> SharedPage:
    fields: dict[str, Any] = {"link_id": 1, "telegram_user_id": 42,
                              "token_hash": token_hash(TOKEN),
                              "expires_at": NOW + timedelta(days=1), "revoked_at": None,
                              "language": "es", **changes}
    return SharedPage(**fields)


async def opened(content: Content, token: str, page: SharedPage | None,
                 now: datetime = NOW) -> tuple[str, OneShare]:
    shares = OneShare(page)
    view = await view_page(ShareUow(shares), token, now, content.catalog, None,  # type: ignore[arg-type]
                           lambda language: wording(content.locales.texts(language)))
    return view.status, shares


@pytest.mark.parametrize("token", ["", "short", "A" * 42, "A" * 44, "A" * 42 + "/",
                                   "A" * 42 + "é", "../" * 15])
async def test_a_token_of_the_wrong_shape_is_unknown_unlooked(content: Content,
                                                            token: str) -> None:
    status, shares = await opened(content, token, a_page())
    assert status == "unknown" and shares.asked == 0


async def test_a_stored_hash_that_does_not_match_is_unknown(content: Content) -> None:
    # Whatever the index returned, the hashes are compared again, in constant time.
    status, shares = await opened(content, TOKEN, a_page(token_hash=token_hash("B" * 43)))
    assert status == "unknown" and shares.views == 0


async def test_stopped_and_ended_pages_are_gone_and_not_counted(content: Content) -> None:
    stopped = a_page(revoked_at=NOW - timedelta(minutes=1))
    assert (await opened(content, TOKEN, stopped))[0] == "gone"
    ended = a_page(expires_at=NOW)
    status, shares = await opened(content, TOKEN, ended)
    assert status == "gone" and shares.views == 0
    assert (await opened(content, TOKEN, None))[0] == "unknown"
