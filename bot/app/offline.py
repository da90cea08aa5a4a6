"""Offline mode: the real bot against the built-in Bot API emulator, chatted with in a terminal."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.config.settings import Settings
from bot.telegram.app import OFFLINE_TOKEN

log = logging.getLogger(__name__)


async def run_offline(settings: Settings, interactive: bool = True) -> int:
    """Start the emulator and the bot; chat in the terminal, or serve until stopped."""
    from bot.app.runner import running_bot
    from bot.app.shutdown import stop_event_on_signals
    from bot.app.wiring import build_deps
    from bot.emulator import Emulator
    from bot.emulator.terminal import run_terminal_chat
    from bot.telegram.runtime import runtime_of
    from storage.update_log import last_update_id

    deps = build_deps(settings)
    starting = asyncio.create_task(deps.renderer.start())  # beside the bot's own start
    try:
        # A new emulator would number updates from 1 again, and the database remembers a
        # week of handled ids: every message after a restart would be dropped as a repeat.
        first = await last_update_id(deps.engine) + 1
        async with Emulator(first_update_id=first) as emulator:
            await emulator.start(port=settings.emulator_port)
            async with running_bot(deps, OFFLINE_TOKEN, emulator.base_url, local_pages=True) as app:
                pages = runtime_of(app).pages_url
                if interactive:
                    print("Backcoach is running offline against its built-in Telegram emulator.\n"
                          f"Pages (/share) are served at {pages}.\n"
                          "Type /start to begin.\n", flush=True)
                    await run_terminal_chat(emulator, emulator.user("You"),
                                            files=settings.chat_files_dir)
                else:
                    print(f"Backcoach is running offline. Emulator: {emulator.base_url}\n"
                          f"Pages (/share): {pages}", file=sys.stderr, flush=True)
                    await stop_event_on_signals().wait()
    finally:
        starting.cancel()
        await deps.close()
    return 0
