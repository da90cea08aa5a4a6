"""The pages server's guard, over real HTTP: headers on every answer, the rate limit per
address, errors as plain pages, and mounting beside another app (the webhook's)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bot.app.clock import ManualClock
from bot.web.listener import Listener
from bot.web.pages import AddressBuckets, Pages, PagesServer, page

SECRET_WORDS = "pain-8-at-night"


async def hello(request: web.Request) -> web.Response:
    return page(request, "Hello", "<p>hello</p>", css="p { color: #123; }")


async def broken(request: web.Request) -> web.Response:
    raise RuntimeError(SECRET_WORDS)


def pages_with(clock: ManualClock, *, per_minute: float = 60, burst: int = 3,
               header: str | None = None) -> Pages:
    pages = Pages(AddressBuckets(clock, per_minute, burst), header)
    pages.add_routes([web.get("/hello", hello), web.get("/broken", broken)])
    return pages


@pytest.fixture
async def served() -> AsyncIterator[tuple[str, ManualClock]]:
    clock = ManualClock()
    server = PagesServer(pages_with(clock))
    port = await server.start("127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}", clock
    finally:
        await server.close()


async def get(url: str, headers: dict[str, str] | None = None,
              ) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as r:
        return r.status, await r.text(), dict(r.headers)


def assert_secure(body: str, headers: dict[str, str]) -> None:
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Robots-Tag"].startswith("noindex")
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert "frame-ancestors 'none'" in csp and "script" not in csp and "unsafe" not in csp
    nonce = re.search(r"style-src 'nonce-([A-Za-z0-9_-]{16,})'", csp)
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in body  # the page's one style is allowed


async def test_a_page_has_every_security_header(served: tuple[str, ManualClock]) -> None:
    base, _ = served
    status, body, headers = await get(base + "/p/hello")
    assert status == 200 and "<p>hello</p>" in body
    assert headers["Content-Type"].startswith("text/html")
    assert_secure(body, headers)
    first = headers["Content-Security-Policy"]
    assert (await get(base + "/p/hello"))[2]["Content-Security-Policy"] != first  # fresh nonce


async def test_unknown_pages_are_404_pages_with_the_headers(
        served: tuple[str, ManualClock]) -> None:
    base, _ = served
    status, body, headers = await get(base + "/p/nothing/here")
    assert status == 404
    assert_secure(body, headers)
    assert (await get(base + "/elsewhere"))[0] == 404  # only /p is served


async def test_a_failing_page_is_a_plain_500_and_its_error_is_not_logged(
        served: tuple[str, ManualClock], caplog: pytest.LogCaptureFixture) -> None:
    base, _ = served
    with caplog.at_level(logging.INFO):
        status, body, headers = await get(base + "/p/broken")
    assert status == 500 and SECRET_WORDS not in body
    assert_secure(body, headers)
    assert "RuntimeError" in caplog.text and SECRET_WORDS not in caplog.text


async def test_each_address_has_a_bucket_and_past_it_waits(
        served: tuple[str, ManualClock]) -> None:
    base, clock = served
    assert [(await get(base + "/p/hello"))[0] for _ in range(3)] == [200, 200, 200]
    status, body, headers = await get(base + "/p/hello")
    assert status == 429 and headers["Retry-After"] == "1"  # 60 a minute: one a second
    assert_secure(body, headers)
    assert (await get(base + "/p/nothing"))[0] == 429  # unknown paths count too
    clock.advance(seconds=1)
    assert (await get(base + "/p/hello"))[0] == 200
    assert (await get(base + "/p/hello"))[0] == 429


async def test_a_proxy_header_gives_each_visitor_a_bucket() -> None:
    clock = ManualClock()
    server = PagesServer(pages_with(clock, burst=1, header="X-Forwarded-For"))
    base = f"http://127.0.0.1:{await server.start('127.0.0.1', 0)}/p/hello"
    try:
        ana = {"X-Forwarded-For": "spoofed, 203.0.113.5"}
        assert (await get(base, ana))[0] == 200
        assert (await get(base, ana))[0] == 429
        # The last entry is the proxy's: a client cannot choose a fresh one in front of it.
        assert (await get(base, {"X-Forwarded-For": "other, 203.0.113.5"}))[0] == 429
        assert (await get(base, {"X-Forwarded-For": "198.51.100.7"}))[0] == 200
    finally:
        await server.close()


def test_buckets_refill_by_the_clock_and_stay_bounded() -> None:
    clock = ManualClock()
    buckets = AddressBuckets(clock, per_minute=6, burst=2, max_addresses=100)
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(10.0)
    clock.advance(seconds=10)
    assert buckets.take("a") == 0
    for n in range(1000):
        buckets.take(f"10.0.{n // 256}.{n % 256}")
    assert len(buckets._buckets) <= 100


async def test_mounted_beside_another_app_both_are_served() -> None:
    async def other(request: web.Request) -> web.Response:
        return web.Response(text="webhook")

    app = web.Application()
    app.router.add_post("/tg", other)
    pages_with(ManualClock()).mount_on(app)
    listener = Listener(app)
    base = f"http://127.0.0.1:{await listener.start('127.0.0.1', 0)}"
    try:
        status, body, headers = await get(base + "/p/hello")
        assert status == 200
        assert_secure(body, headers)
        async with aiohttp.ClientSession() as client, client.post(base + "/tg") as r:
            assert await r.text() == "webhook"
            assert "Content-Security-Policy" not in r.headers  # the guard is the pages' own
    finally:
        await listener.close()
