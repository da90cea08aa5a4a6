"""The baseline: a bare python-telegram-bot echo bot doing the same Bot API work per update.

Backcoach answers a typed message with one sendMessage, and a button press with
answerCallbackQuery plus one sendMessage (HTML, with an inline keyboard). This bot makes
exactly those calls, with no database, domain logic or rate limiter.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import AsyncIterator

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
    """Poll like bot.runner.running_bot does, until the block exits."""
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
