"""A real python-telegram-bot Application polling the emulator over HTTP."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import Emulator, FakeClock

TOKEN = "424242424:AAGapplicationTestToken_0123456789ab"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Thanks", callback_data="thanks")]])
    await update.effective_message.reply_html(
        f"You said: <b>{update.effective_message.text}</b>", reply_markup=markup
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"Welcome, args={context.args}")


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("You're welcome")
    await query.edit_message_text(f"Pressed {query.data}")


async def test_application_echoes_and_handles_presses_then_stops_cleanly() -> None:
    async with Emulator(clock=FakeClock(), limits=None) as emu:
        app = ApplicationBuilder().token(TOKEN).base_url(emu.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
        app.add_handler(CallbackQueryHandler(pressed))
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0)
        try:
            ana = emu.user("Ana")
            welcome = await ana.send_and_wait("/start deep", contains="welcome")
            assert welcome.text == "Welcome, args=['deep']"
            reply = await ana.send_and_wait("hello bot", contains="you said")
            assert reply.text == "You said: hello bot" and reply.labels == ["Thanks"]
            assert reply.raw == "You said: <b>hello bot</b>"
            edit = await ana.press_and_wait("Thanks", contains="pressed")
            assert edit.kind == "edit" and edit.text == "Pressed thanks"
            assert ana.callback_answers[0].text == "You're welcome"
            await emu.wait_delivered()
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
        # Stopping confirmed everything it fetched, so nothing would be fetched twice.
        assert emu.pending_updates() == []
        methods = [r.method for r in emu.requests]
        assert methods[:2] == ["getMe", "deleteWebhook"]
        assert methods[-1] == "getUpdates"
        assert all(r.status == 200 for r in emu.requests)
