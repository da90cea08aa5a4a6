"""The baseline: a bare python-telegram-bot echo bot doing the same Bot API work per update.

Backcoach answers a typed message with one sendMessage, and a button press with
answerCallbackQuery plus one sendMessage (HTML, with an inline keyboard). This bot makes
exactly those calls, with no database, domain logic or rate limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import signal
import sys
from collections.abc import AsyncIterator, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config.logs import configure_logging

ECHO_TOKEN = "555000111:BENCH-echo-token-for-the-emulator-abcdef"
NEXT = InlineKeyboardMarkup([[InlineKeyboardButton("Next", callback_data="next")]])


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the text back, with a button to press."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await context.bot.send_message(message.chat_id, f"You said: <b>{html.escape(message.text)}</b>",
                                   parse_mode=ParseMode.HTML, reply_markup=NEXT)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the spinner, then send a new message with the button again."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    await context.bot.send_message(query.message.chat.id,
                                   f"Pressed <b>{html.escape(query.data or '')}</b>",
                                   parse_mode=ParseMode.HTML, reply_markup=NEXT)


def build_echo_application(token: str, base_url: str,
                           concurrency: int) -> Application:  # type: ignore[type-arg]
    """The echo Application, running up to `concurrency` updates at once like Backcoach."""
    application = (ApplicationBuilder().token(token).base_url(base_url)
                   .concurrent_updates(concurrency).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    return application


@contextlib.asynccontextmanager
async def running_echo_bot(base_url: str, concurrency: int, token: str = ECHO_TOKEN,
                           poll_timeout: int = 1) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Poll like bot.app.runner.running_bot does, until the block exits."""
    application = build_echo_application(token, base_url, concurrency)
    async with application:
        await application.start()
        updater = application.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0, timeout=poll_timeout,
                                    allowed_updates=Update.ALL_TYPES)
        try:
            yield application
        finally:
            await updater.stop()
            await application.stop()


async def serve_until_terminated(base_url: str, concurrency: int) -> None:
    """Poll until SIGTERM or SIGINT, as the load benchmark's child process."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with running_echo_bot(base_url, concurrency):
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tests.bench.echo --base-url URL [--concurrency N]`: the echo bot alone."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.echo", description=__doc__)
    parser.add_argument("--base-url", required=True, help="Bot API base URL (the emulator's)")
    parser.add_argument("--concurrency", type=int, default=64, help="updates in flight")
    args = parser.parse_args(argv)
    # JSON lines at WARNING, as Backcoach logs with LOG_FORMAT=json, so one reader counts both.
    configure_logging("WARNING", "json")
    asyncio.run(serve_until_terminated(args.base_url, args.concurrency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
