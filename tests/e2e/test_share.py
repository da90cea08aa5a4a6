"""/share end to end: the real bot over the emulator, the page fetched over real HTTP.

A person shares a page, it opens with the security headers, its views are counted and
listed, it stops (410) when stopped, when its time ends and with /forget; unknown
addresses are 404; the token is kept nowhere but in the message; requests are
rate-limited per address; the page is served on the webhook's port in webhook mode; and
without anywhere to serve it /share says so.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from bot.app.runner import running_bot
from bot.app.wiring import build_deps
from bot.config.settings import Settings
from bot.emulator import Emulator
from bot.emulator.driver import TestUser
from bot.telegram.runtime import runtime_of
from tests.e2e.conftest import FAST, TOKEN, TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.webhooks import free_port, webhook_bot

ADDRESS = re.compile(r"(http://127\.0\.0\.1:\d+/p/s/([A-Za-z0-9_-]+))")


@asynccontextmanager
async def sharing_bot(timed: TimedWorld, **settings: Any) -> AsyncIterator[str]:
    """The bot in polling mode with PUBLIC_BASE_URL: the pages on a listener of their own."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with timed.bot(public_base_url=base, pages_host="127.0.0.1", pages_port=port,
                         **settings):
        yield base


async def fetch(url: str, headers: dict[str, str] | None = None,
                ) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as r:
        return r.status, await r.text(), dict(r.headers)


async def share(user: TestUser, length: str = "Share for 1 week") -> tuple[str, str]:
    """/share, choose a length; the page's address and its token."""
    await user.send_and_wait("/share", contains="read-only page")
    entry = await user.press_and_wait(length, contains="progress page:")
    found = ADDRESS.search(entry.text)
    assert found is not None, entry.text
    await user.wait_for(lambda e: "message above" in e.text, what="what the link is")
    return found.group(1), found.group(2)


def assert_private(headers: dict[str, str]) -> None:
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Robots-Tag"].startswith("noindex")
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'none'; img-src data:; style-src 'nonce-")
    assert "frame-ancestors 'none'" in csp and "script-src" not in csp


async def check_in(user: TestUser, rating: str) -> None:
    await user.send_and_wait("/checkin", contains="pain")
    await user.press_and_wait(rating, contains="new pain")
    await user.press_and_wait("No", contains="worse than usual")
    await user.press_and_wait("No")


async def test_a_page_is_shared_opened_counted_listed_and_stopped(
        timed: TimedWorld, caplog: pytest.LogCaptureFixture) -> None:
    # Our own code at DEBUG, libraries at INFO (as bot/config/logs.py keeps them: at DEBUG
    # python-telegram-bot and the database driver echo what they send).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    async with sharing_bot(timed):
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        await ana.send_and_wait("/ask Can I swim with this?", contains="Saved")
        await check_in(ana, "4")
        entry = await ana.send_and_wait("/share", contains="read-only page")
        labels = [label for row in entry.buttons for label in row]
        assert "Share for 1 day" in labels and "Until my next visit" not in labels  # no visit
        url, token = await share(ana)
        assert len(token) >= 43  # 256 bits, URL-safe

        status, body, headers = await fetch(url)
        assert status == 200
        assert_private(headers)
        assert "My progress with Backcoach" in body and "Can I swim with this?" in body
        assert "Shoulder blade squeeze" in body  # the program
        assert '<img src="data:image/png;base64,' in body  # the pain chart, inline
        assert "http://" not in body.replace(url, "") and "https://" not in body

        # Stored hashed; the token is in no row of any table (nor the answer kept to resend).
        assert timed.deps is not None
        async with timed.deps.engine.connect() as db:
            hashes = (await db.execute(text("SELECT token_hash FROM share_links"))).scalars()
            assert list(hashes) == [hashlib.sha256(token.encode()).hexdigest()]
            for table in ("share_links", "processed_updates", "conversations", "outbox"):
                rows = (await db.execute(text(f"SELECT * FROM {table}"))).all()
                assert token not in repr(rows), table

        timed.clock.advance(minutes=5)
        assert (await fetch(url))[0] == 200
        entry = await ana.send_and_wait("/share", contains="Your shared pages")
        assert "Opened 2 times, last on" in entry.text
        entry = await ana.press_and_wait("Stop page 1", contains="read-only page")
        assert "Your shared pages" not in entry.text  # none open now
        status, body, headers = await fetch(url)
        assert status == 410 and "no longer shared" in body
        assert_private(headers)
    # Neither the token nor what the page showed is in any log line.
    assert token not in caplog.text and "Can I swim" not in caplog.text


async def test_a_page_ends_when_its_time_is_up_and_forget_removes_them_all(
        timed: TimedWorld) -> None:
    async with sharing_bot(timed):
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        day_url, _ = await share(ben, "Share for 1 day")
        week_url, _ = await share(ben, "Share for 1 week")
        timed.clock.advance(hours=23)
        assert (await fetch(day_url))[0] == 200
        timed.clock.advance(hours=1, seconds=1)
        assert (await fetch(day_url))[0] == 410
        entry = await ben.send_and_wait("/share", contains="Your shared pages")
        assert "Opened once, on" not in entry.text  # the ended page is no longer listed
        assert "1. Open until" in entry.text and "2." not in entry.text
        await ben.press_and_wait("Done", contains="/share shows your pages")
        assert (await fetch(week_url))[0] == 200
        await ben.send_and_wait("/forget", contains="can't be undone")
        await ben.press_and_wait("Yes, delete everything")
        await timed.settle()
        status, body, _ = await fetch(week_url)
        assert status == 404 and "Page not found" in body  # deleted with everything else


async def test_unknown_addresses_are_404_and_requests_are_rate_limited(
        timed: TimedWorld) -> None:
    async with sharing_bot(timed, pages_burst=3, pages_per_minute=6) as base:
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        url, token = await share(cara)
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert (await fetch(f"{base}/p/s/{forged}"))[0] == 404  # one character off
        assert (await fetch(f"{base}/p/s/short"))[0] == 404
        assert (await fetch(url))[0] == 200
        status, _, headers = await fetch(url)
        assert status == 429 and int(headers["Retry-After"]) == 10
        assert_private(headers)
        timed.clock.advance(seconds=10)
        assert (await fetch(url))[0] == 200
        assert timed.deps is not None
        async with timed.deps.engine.connect() as db:
            views = (await db.execute(text("SELECT views FROM share_links"))).scalar_one()
        assert views == 2  # a refused request is not a view


async def test_without_anywhere_to_serve_share_says_so(timed: TimedWorld) -> None:
    async with timed.bot():  # polling, no PUBLIC_BASE_URL
        assert timed.application is not None
        assert runtime_of(timed.application).pages is None
        dan = timed.emulator.user("Dan")
        await onboard(dan)
        entry = await dan.send_and_wait("/share", contains="isn't set up")
        assert not entry.buttons


async def test_in_webhook_mode_the_page_is_on_the_webhooks_port(
        emulator: Emulator, database_url: str) -> None:
    async with webhook_bot(emulator, database_url) as bot:
        eve = emulator.user("Eve")
        await onboard(eve)
        url, _ = await share(eve)
        assert url.startswith(f"{bot.base}/p/s/")  # the webhook URL's origin
        status, body, headers = await fetch(url)
        assert status == 200 and "My progress with Backcoach" in body
        assert_private(headers)


async def test_offline_the_page_is_on_this_machine(emulator: Emulator, database_url: str,
                                                   ) -> None:
    # No PUBLIC_BASE_URL: offline the pages are on 127.0.0.1 all the same.
    deps = build_deps(Settings(database_url=database_url,
                               rate_limit_per_chat=FAST["rate_limit_per_chat"],
                               rate_limit_global=FAST["rate_limit_global"]))
    try:
        async with running_bot(deps, TOKEN, emulator.base_url, poll_timeout=1,
                               local_pages=True) as application:
            pages = runtime_of(application).pages_url
            assert pages is not None and pages.startswith("http://127.0.0.1:")
            fay = emulator.user("Fay")
            await onboard(fay)
            url, _ = await share(fay)
            assert url.startswith(f"{pages}/p/s/")
            assert (await fetch(url))[0] == 200
    finally:
        await deps.close()
