"""Build the python-telegram-bot Application: ordering, rate limits, handlers, command menu."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot.domain.engine.replies import Line
from bot.telegram.arrivals import Arrivals
from bot.telegram.dispatcher import ReminderDispatcher
from bot.telegram.handlers import UpdateHandler, on_error
from bot.telegram.http import SendRequest, UpdatesRequest
from bot.telegram.limiter import SendLimiter
from bot.telegram.ordering import PerPersonOrdering
from bot.telegram.overflow import LetGo
from bot.telegram.ports import Ports
from bot.telegram.rendering import render_plain
from bot.telegram.runtime import Runtime, attach, runtime_of
from bot.telegram.sent_replies import SentReplies
from bot.telegram.ticker import TICK_SECONDS, HoldTicker

MENU = ("start", "exercise", "checkin", "ask", "questions", "export", "progress", "share",
        "reminders", "appointment", "program", "guided", "language", "safety", "mydata",
        "forget", "help", "about", "cancel")
OFFLINE_TOKEN = "123456789:OFFLINE-backcoach-emulator-token-xyz"


def build_application(ports: Ports, token: str,
                      base_url: str) -> Application:  # type: ignore[type-arg]
    """The real Application, pointed at Telegram or any Bot API server (the emulator)."""
    settings = ports.settings
    ordering = PerPersonOrdering(settings.max_concurrent_updates,
                                 settings.max_waiting_per_person)
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .request(SendRequest())
        .get_updates_request(UpdatesRequest(pool_size=1))
        .concurrent_updates(ordering)
        .rate_limiter(SendLimiter(per_chat_rate=settings.rate_limit_per_chat,
                                  global_rate=settings.rate_limit_global,
                                  global_burst=global_burst(settings.rate_limit_global)))
        .build()
    )
    reminders = ReminderDispatcher(ports)
    ticker = HoldTicker(ports, reminders)
    sent = SentReplies(ports)
    runtime = Runtime(ports, Arrivals(), sent, ticker)
    attach(application, runtime)
    ordering.overflow = LetGo(ports, runtime.arrivals, application)
    limiter = application.bot.rate_limiter
    if isinstance(limiter, SendLimiter):
        ports.metrics.read_limiter(lambda: limiter.seen_429, lambda: limiter.waited_seconds)
    application.add_handler(TypeHandler(Update, UpdateHandler(runtime)))
    application.add_error_handler(on_error)
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    # Two instances allowed so APScheduler never warns about a slow tick; each job itself
    # skips a round while its previous one still runs. Separate jobs, so that a wave of
    # reminders (minutes at 30 a second) never holds up the end of someone's hold.
    for name, callback in (("tick", ticker.job), ("reminders", reminders.job),
                           ("replies", sent.job)):
        application.job_queue.run_repeating(callback, interval=TICK_SECONDS,
                                            first=TICK_SECONDS, name=name,
                                            job_kwargs={"max_instances": 2})
    return application


def global_burst(rate: float) -> int:
    """Our overall burst: a tenth of a second's worth, not a whole second's.

    Telegram (and the emulator) allow a burst of about a second's worth; sending at exactly
    the rate with the same burst leaves no room for network jitter, which earned a few 429s
    a minute in the benchmark. Spreading sends evenly keeps their bucket nearly full.
    """
    return max(1, int(rate / 10))


async def register_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Publish the command menu (setMyCommands) in every language we have.

    Called by the runner after initialize(): PTB calls post_init only from run_polling.
    """
    locales = runtime_of(application).ports.content.locales
    for language, texts in locales.by_language.items():
        commands = [BotCommand(name, render_plain(Line(f"menu.{name}"), texts)) for name in MENU]
        code = None if language == locales.default else language
        await application.bot.set_my_commands(commands, language_code=code)
