"""A terminal chat with the bot: type as the person, see the bot's messages and buttons.

Each button shows in brackets what to type to press it. A button labelled with a number
(the 0-10 pain scale, a hold time) is pressed by typing that number; the others get
letters, a, b, c, so a number typed is never mistaken for a button's place in the row.
`/say TEXT` sends TEXT as a message even when it is also a button's key.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .driver import TestUser
from .model import TranscriptEntry
from .saved_files import FileFolder

if TYPE_CHECKING:
    from .server import Emulator

QUIT = "/quit"
SAY = "/say"
HELP = ("Type a message, or what is in [brackets] to press that button. "
        f'{SAY} 3 sends "3" as a message; {QUIT} leaves.')
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _letters(index: int) -> str:
    """a, b, ..., z, then aa, ab, ... (a keyboard of more than 26 is rare, but possible)."""
    key = ""
    while index >= 0:
        key = LETTERS[index % 26] + key
        index = index // 26 - 1
    return key


def button_keys(labels: Sequence[str]) -> list[str]:
    """What to type for each button: a number label is its own key, the rest get a, b, c..."""
    keys: list[str] = []
    letters = 0
    for label in labels:
        number = label.strip()
        if number.isdecimal() and number.isascii() and number not in keys:
            keys.append(number)
        else:
            keys.append(_letters(letters))
            letters += 1
    return keys


def human_size(size: int) -> str:
    """Byte counts as people read them: 900 B, 12 kB, 3.4 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB"


def render(entry: TranscriptEntry, saved: Path | None = None) -> list[str]:
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
    if saved is not None:
        lines.append(f"     (saved as {saved})")
    keys = iter(button_keys(entry.labels))
    for row in entry.buttons:
        shown = []
        for label in row:
            key = next(keys)
            # A number label is its own key: "[3]", not "[3] 3".
            shown.append(f"[{key}]" if key == label.strip() else f"[{key}] {label}")
        lines.append("     " + "   ".join(shown))
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
    def __init__(self, user: TestUser, out: TextIO, files: FileFolder | None) -> None:
        self.user = user
        self.out = out
        self.files = files
        self.shown = len(user.chat.transcript)

    def flush(self) -> None:
        entries = self.user.chat.transcript
        while self.shown < len(entries):
            entry = entries[self.shown]
            saved = None
            if entry.who == "bot" and entry.file is not None and self.files is not None:
                saved = self.files.save(entry.file, entry.message_id)
            for line in render(entry, saved):
                print(line, file=self.out)
            self.shown += 1
        self.out.flush()

    async def run(self) -> None:
        while True:
            await self.user.world.signal.wait_until(
                lambda: len(self.user.chat.transcript) > self.shown, None
            )
            self.flush()


async def _press_key(user: TestUser, key: str, out: TextIO) -> bool:
    """Press the latest keyboard's button whose key is typed; False if none has that key."""
    message = user.last_message_with_buttons()
    if message is None:
        return False
    buttons = [b for row in message.buttons for b in row]
    keys = button_keys([b.label for b in buttons])
    if key.lower() not in keys:
        return False
    button = buttons[keys.index(key.lower())]
    if button.callback_data is None:
        print(f"(that button opens {button.url or 'something outside the chat'})", file=out)
        return True
    await user.press_data(button.callback_data, message.message_id, label=button.label)
    return True


async def _say(user: TestUser, text: str, out: TextIO) -> None:
    if user.chat.blocked:
        print("(you blocked the bot)", file=out)
    else:
        await user.send(text)


async def _handle(user: TestUser, text: str, out: TextIO) -> None:
    stripped = text.strip()
    if stripped == SAY or stripped.startswith(SAY + " "):
        said = stripped[len(SAY):].strip()
        if said:
            await _say(user, said, out)
        else:
            print(f"(type {SAY} and the words to send, for example: {SAY} 3)", file=out)
    elif not await _press_key(user, stripped, out):
        await _say(user, text, out)


async def run_terminal_chat(
    emu: Emulator,
    user: TestUser,
    lines: AsyncIterator[str] | None = None,
    out: TextIO = sys.stdout,
    files: Path | None = None,
) -> None:
    """Chat as user until /quit or end of input, keeping files the bot sends in `files`."""
    interactive = lines is None
    own_input = _stdin_lines() if lines is None else None
    source = own_input if own_input is not None else lines
    assert source is not None
    printer = _Printer(user, out, FileFolder(files) if files is not None else None)
    print(f"Chatting with @{emu.world.bot_username} as {user.name}.\n{HELP}", file=out)
    if files is not None:
        print(f"Files the bot sends are saved in {files}/.", file=out)
    out.flush()
    task = asyncio.create_task(printer.run(), name="terminal-printer")
    try:
        async for raw_line in source:
            text = raw_line.rstrip("\r\n")
            if text.strip() == QUIT:
                break
            if not text.strip():
                continue
            printer.flush()
            if not interactive:
                print(f"you: {text}", file=out)
            await _handle(user, text, out)
    finally:
        if own_input is not None:
            await own_input.aclose()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        printer.flush()
