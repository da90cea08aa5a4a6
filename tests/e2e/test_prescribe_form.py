"""The clinicians' form end to end: the real bot serving its pages, fetched over real HTTP.

Off by default (404); on, a wrong password is 401 and makes nothing, a post from another
site or with a forged or stale form token is 403, a right one makes a link that a new
patient then opens in the bot; the handout downloads; every answer has the pages' headers;
the password never appears in a page or the log.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProgramLinkRow
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_share import assert_private
from tests.e2e.webhooks import free_port

PASSWORD = "a-long-clinic-password-0123"
LINK = re.compile(r"https://t\.me/backcoach_bot\?start=([A-Za-z0-9_-]{22})")
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@asynccontextmanager
async def form_bot(timed: TimedWorld, **settings: Any) -> AsyncIterator[str]:
    """The bot with its pages on a listener of their own; the form's address."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with timed.bot(public_base_url=base, pages_host="127.0.0.1", pages_port=port,
                         **settings):
        yield f"{base}/p/prescribe"


async def get(url: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text(), dict(response.headers)


async def post(url: str, data: list[tuple[str, str]], headers: dict[str, str] | None = None,
               ) -> tuple[int, bytes, dict[str, str]]:
    async with aiohttp.ClientSession() as client, client.post(
            url, data=data, headers=headers or {}) as response:
        return response.status, await response.read(), dict(response.headers)


async def fresh_token(url: str) -> str:
    status, body, headers = await get(url)
    assert status == 200, body
    assert_private(headers)
    found = TOKEN.search(body)
    assert found is not None
    return found.group(1)


def fields(token: str, password: str = PASSWORD) -> list[tuple[str, str]]:
    return [("form_token", token), ("password", password), ("exercise", "cat_camel"),
            ("cat_camel.hold_seconds", "5"), ("cat_camel.sets", "4"),
            ("exercise", "bird_dog"), ("bird_dog.hold_seconds", "15"), ("bird_dog.sets", "5"),
            ("head_rolls.sets", "5"),  # not ticked: ignored
            ("note", "Slowly <b>please</b>"), ("visit", "2031-03-14"), ("uses", "single"),
            ("days", "10"), ("language", "en")]


async def links(timed: TimedWorld) -> list[ProgramLinkRow]:
    assert timed.deps is not None
    async with AsyncSession(timed.deps.engine) as session:
        return list((await session.scalars(select(ProgramLinkRow))).all())


async def test_the_form_is_off_by_default(timed: TimedWorld) -> None:
    async with form_bot(timed) as url:
        status, _, headers = await get(url)
    assert status == 404
    assert_private(headers)


async def test_a_clinician_makes_a_link_a_new_patient_then_opens(
        timed: TimedWorld, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with form_bot(timed, prescribe_form=True, clinician_token=PASSWORD) as url:
        token = await fresh_token(url)
        status, body, _ = await post(url, fields(token, "not-the-password"))
        assert status == 401 and b"That password is not right." in body
        assert PASSWORD.encode() not in body and b"not-the-password" not in body
        assert await links(timed) == []

        status, body, headers = await post(url, fields(token),
                                           {"Origin": url.rsplit("/p/", 1)[0]})
        assert status == 200, body
        assert_private(headers)
        page = body.decode()
        found = LINK.search(page)
        assert found is not None
        code = found.group(1)
        assert 'src="data:image/png;base64,' in page
        assert "<b>please</b>" not in page  # the note is never HTML
        (row,) = await links(timed)
        assert row.code_hash == hashlib.sha256(code.encode()).hexdigest() and row.single_use
        assert row.program["doses"] == {"cat_camel": {"sets": 4}, "bird_dog": {}}

        download = TOKEN.search(page)
        assert download is not None
        status, pdf, headers = await post(f"{url}/handout", [
            ("form_token", download.group(1)), ("code", code), ("language", "es")])
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert "attachment" in headers["Content-Disposition"]
        text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert "Gato y camello" in text and code in text
        status, _, _ = await post(f"{url}/handout", [
            ("form_token", download.group(1)), ("code", "B" * 22)])
        assert status == 404

        ana = timed.emulator.user("Ana")
        await ana.send_and_wait(f"/start {code}", contains="I understand")
        await ana.press_and_wait("I understand", contains="Which country")
        reply = await ana.press_and_wait("Portugal", contains="Your provider suggested")
        assert "1. Cat and camel: hold 5 s · 4 sets" in reply.text
        assert "Slowly <b>please</b>" in reply.text  # said as typed, as plain text
    # Our own log lines at any level, and anyone's at INFO and above (libraries that log
    # messages' contents at DEBUG are held at INFO by the bot's logging setup).
    lines = [r.getMessage() for r in caplog.records
             if r.name.startswith(("bot", "backcoach", "storage")) or r.levelno >= logging.INFO]
    assert lines and not [line for line in lines if PASSWORD in line or code in line]


async def test_posts_from_elsewhere_or_with_a_bad_form_token_are_refused(
        timed: TimedWorld) -> None:
    async with form_bot(timed, prescribe_form=True, clinician_token=PASSWORD) as url:
        token = await fresh_token(url)
        for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}):
            status, body, answer = await post(url, fields(token), headers)
            assert status == 403, headers
            assert_private(answer)
        issued, _, mac = token.partition(".")
        forged = f"{int(issued) + 1}.{mac}"
        for bad in ("", "123", forged, f"{issued}.{'0' * 64}"):
            status, _, _ = await post(url, fields(bad))
            assert status == 403, bad
        await timed.advance(timedelta(hours=2, minutes=1).total_seconds())
        status, _, _ = await post(url, fields(token))  # a form left open too long
        assert status == 403
        assert await links(timed) == []
        out_of_range = [("form_token", await fresh_token(url)), ("password", PASSWORD),
                        ("exercise", "head_rolls"), ("head_rolls.sets", "9")]
        status, body, _ = await post(url, out_of_range)
        assert status == 400 and b"Head rolls, sets: it can be 1 to 5, not 9." in body
        status, body, _ = await post(url, out_of_range[:2])
        assert status == 400 and b"Please tick at least one exercise." in body
        assert await links(timed) == []


async def test_the_form_is_rate_limited_per_address(timed: TimedWorld) -> None:
    async with form_bot(timed, prescribe_form=True, clinician_token=PASSWORD,
                        pages_burst=3, pages_per_minute=1) as url:
        token = await fresh_token(url)
        statuses = [(await post(url, fields(token, f"guess-{n}")))[0] for n in range(4)]
    assert statuses == [401, 401, 429, 429]
