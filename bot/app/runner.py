"""Start and stop the bot inside an event loop we own (so the emulator can share it)."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.app.pages import page_routes
from bot.app.wiring import Deps
from bot.config.logs import redact_also
from bot.config.settings import Settings
from bot.telegram.app import build_application, register_commands
from bot.telegram.polling import ConfirmingPoller
from bot.telegram.runtime import Runtime, runtime_of
from bot.web.health import HealthServer, Readiness
from bot.web.pages import AddressBuckets, Pages, PagesServer
from bot.web.server import WebServer
from storage.bot_settings import shared_value
from storage.migrate import head_revision, schema_versions

log = logging.getLogger(__name__)

# Of the shutdown grace: the share for webhook requests in progress, the rest for the rest.
REQUESTS_SHARE = 0.5
SENDS_GRACE = 2.0


@contextlib.asynccontextmanager
async def running_bot(deps: Deps, token: str, base_url: str,
                      poll_timeout: int = 10, local_pages: bool = False,
                      ) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the Application (webhook when WEBHOOK_URL is set, else long polling) until the
    block exits, then stop it cleanly: no new updates, the ones in progress finished, the
    reminder wave stopped and its unsent claims handed back. `local_pages` (offline): the
    pages on 127.0.0.1, whatever the settings say."""
    application = build_application(deps, token, base_url)
    async with application:
        await register_commands(application)
        await application.start()
        server = await _serve(deps, application, poll_timeout, local_pages)
        try:
            yield application
        finally:
            await _stop(deps, application, server)


async def _serve(deps: Deps, application: Application,  # type: ignore[type-arg]
                 poll_timeout: int, local_pages: bool) -> WebServer | None:
    settings = deps.settings
    runtime = runtime_of(application)
    pages = Pages(AddressBuckets(deps.clock, settings.pages_per_minute, settings.pages_burst),
                  settings.pages_address_header)
    pages.add_routes(page_routes(deps))
    if settings.health_port is not None:
        readiness = Readiness(lambda: schema_versions(deps.engine), head_revision(), deps.clock)
        runtime.health = HealthServer(deps.metrics, readiness)
        await runtime.health.start(settings.health_host, settings.health_port)
    url = settings.webhook_url
    if url is not None:
        secret = await webhook_secret(deps)
        server = WebServer(application, urlsplit(url).path or "/", secret,
                           max_body_bytes=settings.webhook_max_body_bytes,
                           arrivals=runtime.arrivals, pages=None if local_pages else pages)
        if not local_pages:  # known before the first update can ask for a link
            runtime.pages_url = settings.public_base_url or _origin(url)
        port = await server.start(settings.webhook_host, settings.webhook_port)
        await application.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=Update.ALL_TYPES,
                                          max_connections=settings.webhook_max_connections)
        log.info("serving the webhook", extra={"port": port})
    else:
        server = None
    if local_pages or (url is None and settings.public_base_url is not None):
        await _serve_pages(runtime, pages, settings, local_pages)
    if url is None:
        # The poller removes any webhook first, so switching back needs nothing else.
        runtime.poller = ConfirmingPoller(application, poll_timeout, runtime.arrivals,
                                          runtime.sent_replies)
        await runtime.poller.start()
        log.info("bot is polling for updates")
    runtime.web = server
    return server


async def _serve_pages(runtime: Runtime, pages: Pages, settings: Settings,
                       local: bool) -> None:
    """The pages on a listener of their own: 127.0.0.1 offline, else PAGES_HOST:PAGES_PORT."""
    runtime.pages = PagesServer(pages)
    if local:
        port = await runtime.pages.start("127.0.0.1", settings.pages_port or 0)
        runtime.pages_url = f"http://127.0.0.1:{port}"
    else:
        port = await runtime.pages.start(settings.pages_host, settings.pages_port or 8080)
        runtime.pages_url = settings.public_base_url
    log.info("serving the pages", extra={"port": port})


def _origin(url: str) -> str:
    """scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _stop(deps: Deps, application: Application,  # type: ignore[type-arg]
                server: WebServer | None) -> None:
    grace = deps.settings.shutdown_grace_seconds
    runtime = runtime_of(application)
    health = runtime.health
    if health is not None:
        health.stopping = True  # not ready: a balancer stops sending here
    if server is not None:
        await server.stop_taking_updates(grace * REQUESTS_SHARE)
    elif runtime.poller is not None:
        await runtime.poller.stop(grace * REQUESTS_SHARE)
    reminders = runtime.ticker.reminders
    # Before the job queue waits for running jobs: a wave of reminders ends now.
    await reminders.wind_down(grace=min(SENDS_GRACE, grace))
    await application.stop()
    # Updates handled since the last flush: marked now, so a restart does not answer again.
    await runtime.sent_replies.flush()
    released = await reminders.release()
    if released:
        log.info("handed back %d unsent reminder claims", released)
    for listener in (server, health, runtime.pages):
        if listener is not None:
            await listener.close()


async def webhook_secret(deps: Deps) -> str:
    """WEBHOOK_SECRET, or the one generated and stored by the first replica to start."""
    given = deps.settings.webhook_secret
    secret = given.get_secret_value() if given is not None else await shared_value(
        deps.engine, "webhook_secret", lambda: secrets.token_urlsafe(32))
    redact_also(secret)
    return secret
