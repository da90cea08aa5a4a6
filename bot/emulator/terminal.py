"""A terminal chat with the bot: type as the person, see the bot's messages and buttons."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncGenerator, AsyncIterator
from typing import TYPE_CHECKING, TextIO

from .driver import TestUser
from .model import TranscriptEntry

if TYPE_CHECKING:
    from .server import Emulator

QUIT = "/quit"


def human_size(size: int) -> str:
    """Byte counts as people read them: 900 B, 12 kB, 3.4 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB"


def render(entry: TranscriptEntry) -> list[str]:
    """Lines to print for one bot transcript entry (nothing for the person's own)."""
    if entry.who != "bot":
        return []
    if entry.kind == "callback_answer":
        return [f"bot: (notice) {entry.text}"] if entry.text else []
    if entry.kind == "delete":
        return [f"bot: (deleted message #{entry.message_id})"]
    text = entry.text
    if entry.file is not None:
        kind = entry.file.kind
        what = (entry.file.filename or kind) if kind == "document" else kind
        text = f"[{what}, {human_size(entry.file.size)}] {text}".rstrip()
    prefix = "bot: (edited) " if entry.kind == "edit" else "bot: "
    body = text.split("\n")
    lines = [prefix + body[0], *(("     " + line).rstrip() for line in body[1:])]
    number = 0
    for row in entry.buttons:
        numbered: list[str] = []
        for label in row:
            number += 1
            numbered.append(f"[{number}] {label}")
        lines.append("     " + "   ".join(numbered))
    return lines


async def _stdin_lines() -> AsyncGenerator[str, None]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def hand_over(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the chat ended and its loop closed while we were reading
            return False
        return True

    def read() -> None:
        # A thread keeps the event loop free while readline() blocks.
        for line in iter(sys.stdin.readline, ""):
            if not hand_over(line):
                return
        hand_over(None)

    threading.Thread(target=read, name="terminal-stdin", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


class _Printer:
    def __init__(self, user: TestUser, out: TextIO) -> None:
        self.user = user
        self.out = out
        self.shown = len(user.chat.transcript)

    def flush(self) -> None:
        entries = self.user.chat.transcript
        while self.shown < len(entries):
            for line in render(entries[self.shown]):
                print(line, file=self.out)
            self.shown += 1
        self.out.flush()

    async def run(self) -> None:
        while True:
            await self.user.world.signal.wait_until(
                lambda: len(self.user.chat.transcript) > self.shown, None
            )
            self.flush()


async def _press_number(user: TestUser, number: int, out: TextIO) -> None:
    message = user.last_message_with_buttons()
    if message is None:
        print("(there are no buttons to press)", file=out)
        return
    buttons = [b for row in message.buttons for b in row]
    if not 1 <= number <= len(buttons):
        print(f"(choose a button from 1 to {len(buttons)})", file=out)
        return
    button = buttons[number - 1]
    if button.callback_data is None:
        print(f"(that button opens {button.url or 'something outside the chat'})", file=out)
        return
    await user.press(button.label, message=message.message_id)


async def run_terminal_chat(
    emu: Emulator,
    user: TestUser,
    lines: AsyncIterator[str] | None = None,
    out: TextIO = sys.stdout,
) -> None:
    """Chat as user until /quit or end of input; a bare number presses that button."""
    interactive = lines is None
    own_input = _stdin_lines() if lines is None else None
    source = own_input if own_input is not None else lines
    assert source is not None
    printer = _Printer(user, out)
    print(f"Chatting with @{emu.world.bot_username} as {user.name}. "
          "Type a message, a button number, or /quit.", file=out, flush=True)
    task = asyncio.create_task(printer.run(), name="terminal-printer")
    try:
        async for raw_line in source:
            text = raw_line.rstrip("\r\n")
            stripped = text.strip()
            if stripped == QUIT:
                break
            if not stripped:
                continue
            printer.flush()
            if not interactive:
                print(f"you: {text}", file=out)
            if stripped.isdigit():
                await _press_number(user, int(stripped), out)
            elif user.chat.blocked:
                print("(you blocked the bot)", file=out)
            else:
                await user.send(text)
    finally:
        if own_input is not None:
            await own_input.aclose()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        printer.flush()
