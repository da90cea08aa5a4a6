"""Start and stop the bot inside an event loop we own (so the emulator can share it)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Update
from telegram.ext import Application

from bot.telegram.app import build_application, register_commands
from bot.wiring import Deps

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def running_bot(deps: Deps, token: str, base_url: str,
                      poll_timeout: int = 10) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the Application with long polling until the block exits, then stop it cleanly."""
    application = build_application(deps, token, base_url)
    async with application:
        await register_commands(application)
        await application.start()
        updater = application.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0, timeout=poll_timeout,
                                    allowed_updates=Update.ALL_TYPES)
        log.info("bot is polling for updates")
        try:
            yield application
        finally:
            reminders = application.bot_data["ticker"].reminders
            # Before the job queue waits for running jobs: a wave of reminders ends now.
            await reminders.wind_down(grace=2.0)
            await updater.stop()
            await application.stop()
            released = await reminders.release()
            if released:
                log.info("handed back %d unsent reminder claims", released)
