"""A local Telegram Bot API emulator for tests and the terminal chat; standalone from the bot.

    async with Emulator(clock=FakeClock(), limits=None) as emu:
        app = ApplicationBuilder().token(TOKEN).base_url(emu.base_url).build()
        ...start polling...
        ana = emu.user("Ana")
        reply = await ana.send_and_wait("/start", contains="welcome")
        await ana.press_and_wait("I understand")
"""

from __future__ import annotations

from .clock import FakeClock
from .driver import TestUser
from .errors import ApiError
from .faults import FaultRecord, Faults
from .flood import FloodLimits
from .groups import TestChannel, TestGroup
from .model import BotMessage, Button, CallbackAnswer, RequestRecord, StoredFile, TranscriptEntry
from .server import Emulator
from .terminal import run_terminal_chat

__all__ = [
    "ApiError",
    "BotMessage",
    "Button",
    "CallbackAnswer",
    "Emulator",
    "FakeClock",
    "FaultRecord",
    "Faults",
    "FloodLimits",
    "RequestRecord",
    "StoredFile",
    "TestChannel",
    "TestGroup",
    "TestUser",
    "TranscriptEntry",
    "run_terminal_chat",
]
