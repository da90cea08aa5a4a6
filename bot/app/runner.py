"""Start and stop the bot inside an event loop we own (so the emulator can share it)."""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from telegram import Update
from telegram.ext import Application

from bot.app.wiring import Deps
from bot.config.logs import redact_also
from bot.telegram.app import build_application, register_commands
from bot.telegram.polling import ConfirmingPoller
from bot.telegram.runtime import runtime_of
from bot.web.health import HealthServer, Readiness
from bot.web.server import WebServer
from storage.bot_settings import shared_value
from storage.migrate import head_revision, schema_versions

log = logging.getLogger(__name__)

# Of the shutdown grace: the share for webhook requests in progress, the rest for the rest.
REQUESTS_SHARE = 0.5
SENDS_GRACE = 2.0


@contextlib.asynccontextmanager
async def running_bot(deps: Deps, token: str, base_url: str,
                      poll_timeout: int = 10) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the Application (webhook when WEBHOOK_URL is set, else long polling) until the
    block exits, then stop it cleanly: no new updates, the ones in progress finished, the
    reminder wave stopped and its unsent claims handed back."""
    application = build_application(deps, token, base_url)
    async with application:
        await register_commands(application)
        await application.start()
        server = await _serve(deps, application, poll_timeout)
        try:
            yield application
        finally:
            await _stop(deps, application, server)


async def _serve(deps: Deps, application: Application,  # type: ignore[type-arg]
                 poll_timeout: int) -> WebServer | None:
    settings = deps.settings
    runtime = runtime_of(application)
    if settings.health_port is not None:
        readiness = Readiness(lambda: schema_versions(deps.engine), head_revision(), deps.clock)
        runtime.health = HealthServer(deps.metrics, readiness)
        await runtime.health.start(settings.health_host, settings.health_port)
    url = settings.webhook_url
    if url is not None:
        secret = await webhook_secret(deps)
        server = WebServer(application, urlsplit(url).path or "/", secret,
                           max_body_bytes=settings.webhook_max_body_bytes,
                           arrivals=runtime.arrivals)
        port = await server.start(settings.webhook_host, settings.webhook_port)
        await application.bot.set_webhook(url, secret_token=secret,
                                          allowed_updates=Update.ALL_TYPES,
                                          max_connections=settings.webhook_max_connections)
        log.info("serving the webhook", extra={"port": port})
    else:
        server = None
        # The poller removes any webhook first, so switching back needs nothing else.
        runtime.poller = ConfirmingPoller(application, poll_timeout, runtime.arrivals,
                                          runtime.sent_replies)
        await runtime.poller.start()
        log.info("bot is polling for updates")
    runtime.web = server
    return server


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
    for listener in (server, health):
        if listener is not None:
            await listener.close()


async def webhook_secret(deps: Deps) -> str:
    """WEBHOOK_SECRET, or the one generated and stored by the first replica to start."""
    given = deps.settings.webhook_secret
    secret = given.get_secret_value() if given is not None else await shared_value(
        deps.engine, "webhook_secret", lambda: secrets.token_urlsafe(32))
    redact_also(secret)
    return secret
