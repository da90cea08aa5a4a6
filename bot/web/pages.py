"""The pages server: small server-rendered HTML pages for people outside Telegram (a
progress page a person shares, a clinician's form), under one prefix, `/p`.

One aiohttp application holds every page route, whatever feature adds it
(`Pages.add_routes`, before the server starts). Its middleware does what every page needs,
so no page can forget it:

- each client address gets a small token bucket (`AddressBuckets`, by the injected clock);
  past it, 429 with Retry-After, before the handler runs;
- every answer, errors included, carries the security headers: no caching, no indexing,
  no referrer, no sniffing, no framing, and a Content-Security-Policy that allows nothing
  from anywhere (no scripts at all), images only as data: URIs, and styles only from
  `<style>` elements carrying this response's nonce (`nonce_of(request)`);
- a handler's exception is a plain 500 page, logged by its type only (a page may hold
  health data; the URL may hold a secret, so neither is logged).

Where it is served is the runner's choice (bot/app/runner.py): mounted on the webhook's
server in webhook mode (`Pages.mount_on`), on a listener of its own (`PagesServer`) in
polling mode with PUBLIC_BASE_URL, or on 127.0.0.1 offline.
"""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from bot.services.ports import Clock
from bot.web.listener import Listener

log = logging.getLogger(__name__)

PREFIX = "/p"
MAX_BODY_BYTES = 64 * 1024  # a form's fields, never a file
_NONCE = web.RequestKey("backcoach.pages.nonce", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = ("default-src 'none'; img-src data:; style-src 'nonce-{nonce}'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass
class _Bucket:
    tokens: float
    at: datetime


class AddressBuckets:
    """A token bucket per client address: `burst` requests at once, then `per_minute`."""

    def __init__(self, clock: Clock, per_minute: float, burst: int,
                 max_addresses: int = 10_000) -> None:
        self.clock = clock
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_addresses = max_addresses  # a bound on memory, whoever is asking
        self._buckets: dict[str, _Bucket] = {}

    def take(self, address: str) -> float:
        """0 when the address may go ahead (one token taken), else seconds to wait."""
        now = self.clock.now()
        bucket = self._buckets.get(address)
        if bucket is None:
            self._make_room(now)
            bucket = self._buckets[address] = _Bucket(self.burst, now)
        elapsed = max(0.0, (now - bucket.at).total_seconds())
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _make_room(self, now: datetime) -> None:
        if len(self._buckets) < self.max_addresses:
            return
        # Full buckets say nothing a new one would not: forget those first, then the oldest.
        full = [a for a, b in self._buckets.items()
                if b.tokens + (now - b.at).total_seconds() * self.rate >= self.burst]
        for address in full:
            del self._buckets[address]
        while len(self._buckets) >= self.max_addresses:
            del self._buckets[next(iter(self._buckets))]


class Pages:
    """The pages application: routes from any feature, behind one guard."""

    def __init__(self, buckets: AddressBuckets, address_header: str | None = None) -> None:
        # address_header: a header a trusted reverse proxy sets to the client's address
        # (e.g. X-Forwarded-For; its last entry is the one the proxy saw). Unset, the
        # connection's own address, so a proxy in front shares one bucket.
        self.buckets = buckets
        self.address_header = address_header
        self.app = web.Application(middlewares=[self._guard], client_max_size=MAX_BODY_BYTES)

    def add_routes(self, routes: Iterable[web.RouteDef]) -> None:
        """Serve these routes (paths relative to /p); before the server starts."""
        self.app.router.add_routes(list(routes))

    def mount_on(self, parent: web.Application) -> None:
        """Serve the pages under /p of another application (the webhook's); once, after
        every feature added its routes."""
        # Last, so it shadows nothing: any other path under /p is a 404 page that goes
        # through the guard like the rest (counted, with the headers).
        self.app.router.add_route("*", "/{tail:.*}", _not_found)
        parent.add_subapp(PREFIX, self.app)

    def client_address(self, request: web.Request) -> str:
        """The address a request is counted against."""
        if self.address_header is not None:
            given = request.headers.get(self.address_header, "")
            last = given.split(",")[-1].strip()
            if last:
                return last[:64]
        return request.remote or "unknown"

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        nonce = secrets.token_urlsafe(16)
        request[_NONCE] = nonce
        wait = self.buckets.take(self.client_address(request))
        if wait > 0:
            response: web.StreamResponse = page(
                request, "Too many requests", "<p>Too many requests. Please wait a "
                "minute and try again.</p>", status=429)
            response.headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        else:
            response = await self._answer(request, handler)
        secure(response, nonce)
        return response

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status == 404:
                return page(request, "Not found", "<p>There is no page here.</p>", status=404)
            if exc.status == 405:
                return page(request, "Not allowed", "<p>Not allowed.</p>", status=405)
            if exc.status == 413:
                return page(request, "Too large", "<p>That was too large.</p>", status=413)
            raise
        except Exception as exc:  # never the message: it may quote a page's data
            log.error("page failed: %s", type(exc).__name__)
            return page(request, "Something went wrong",
                        "<p>Something went wrong. Please try again later.</p>", status=500)


async def _not_found(request: web.Request) -> web.Response:
    return page(request, "Not found", "<p>There is no page here.</p>", status=404)


def secure(response: web.StreamResponse, nonce: str) -> None:
    """Put the security headers on an answer (any handler's own values are replaced)."""
    for name, value in HEADERS.items():
        response.headers[name] = value
    response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce)


def nonce_of(request: web.Request) -> str:
    """This response's style nonce: `<style nonce="...">` is the only style allowed."""
    return request[_NONCE]


BASE_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 0 auto; max-width: 46rem; padding: 1rem; line-height: 1.45;
       color: #1d2430; background: #fff; }
h1 { font-size: 1.5rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; border-bottom: 1px solid #d8dde6;
     padding-bottom: 0.2rem; }
p, li { font-size: 1rem; }
"""


def page(request: web.Request, title: str, body_html: str, *, status: int = 200,
         css: str = "", lang: str = "en") -> web.Response:
    """A whole HTML page: `title` is escaped here, `body_html` must already be escaped;
    `css` joins the base style in the one nonce'd <style>."""
    document = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html.escape(title)}</title>"
        f'<style nonce="{nonce_of(request)}">{BASE_CSS}{css}</style></head>'
        f"<body>{body_html}</body></html>\n")
    return web.Response(status=status, text=document, content_type="text/html",
                        charset="utf-8")


class PagesServer(Listener):
    """The pages on a listener of their own (polling mode, or offline): /p/... only."""

    def __init__(self, pages: Pages) -> None:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        pages.mount_on(app)
        super().__init__(app)
