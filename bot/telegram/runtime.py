"""The running bot's parts, kept once on its Application and read back typed.

Before, seven `bot_data["..."]` string keys carried these, each read with a cast. Now the
Application holds one Runtime under one private key, and `runtime_of` is the only reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.telegram.arrivals import Arrivals
from bot.telegram.polling import ConfirmingPoller
from bot.telegram.ports import Ports
from bot.telegram.sent_replies import SentReplies
from bot.telegram.ticker import HoldTicker
from bot.web.health import HealthServer
from bot.web.pages import PagesServer
from bot.web.server import WebServer

_KEY = "backcoach.runtime"


@dataclass
class Runtime:
    """What one Application runs with: the ports it was built on, its bookkeeping of updates
    in flight, its jobs, and how it listens (set by the runner once it serves)."""

    ports: Ports
    arrivals: Arrivals
    sent_replies: SentReplies
    ticker: HoldTicker
    poller: ConfirmingPoller | None = None
    web: WebServer | None = None
    health: HealthServer | None = None
    pages: PagesServer | None = None  # the pages' own listener (polling mode, offline)
    pages_url: str | None = None  # where the pages are reached from outside; None: nowhere


def attach(application: Application[Any, Any, Any, Any, Any, Any], runtime: Runtime) -> None:
    """Keep the runtime on the Application (once, when it is built)."""
    application.bot_data[_KEY] = runtime


def runtime_of(where: Application[Any, Any, Any, Any, Any, Any]
               | ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The Runtime of an Application, or of the Application a callback's context belongs to."""
    application = where if isinstance(where, Application) else where.application
    runtime = application.bot_data.get(_KEY)
    if not isinstance(runtime, Runtime):
        raise LookupError("this Application was not built by bot.telegram.app")
    return runtime
