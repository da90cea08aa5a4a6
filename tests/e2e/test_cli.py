"""The `backcoach` command line as operators use it: real child processes, real databases."""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, insert, select

from bot.app.cli import DIAGRAMS
from bot.config.settings import Settings
from bot.emulator import Emulator
from bot.telegram.app import OFFLINE_TOKEN
from storage.db import make_engine
from storage.migrate import schema_is_current
from storage.models import ProcessedUpdateRow
from tests.e2e.conftest import TOKEN, BotProcess
from tests.storage.databases import sqlite_database_url

# Start-up takes about a second; this bounds each wait so a hang fails instead of stalling.
TIMEOUT = 15.0
# Every variable Settings reads, so none leaks in from the environment running the tests.
SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")


def cli_env(**settings: str) -> dict[str, str]:
    """The inherited environment without any bot setting, plus `settings`.

    PYTHONUNBUFFERED goes too: output to a pipe must reach the reader by explicit flushes,
    as it does for an operator piping `backcoach chat` through another program.
    """
    env = {k: v for k, v in os.environ.items()
           if k.upper() not in SETTING_NAMES and k != "PYTHONUNBUFFERED"}
    return {**env, **settings}


class Capture:
    """A child's output stream, read in the background as it arrives."""

    def __init__(self, name: str, reader: asyncio.StreamReader) -> None:
        self.name = name
        self.text = ""
        self.closed = False
        self._changed = asyncio.Event()
        self.task = asyncio.create_task(self._pump(reader), name=f"capture-{name}")

    async def _pump(self, reader: asyncio.StreamReader) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await reader.read(65536):
            self.text += decoder.decode(chunk)
            self._changed.set()
        self.text += decoder.decode(b"", final=True)
        self.closed = True
        self._changed.set()

    async def wait_for(self, needle: str, after: int = 0, limit: float = TIMEOUT) -> int:
        """Wait until `needle` appears at or after offset `after`; the offset just past it."""
        try:
            async with asyncio.timeout(limit):
                while (found := self.text.find(needle, after)) < 0:
                    if self.closed:
                        raise AssertionError(f"{self.name} ended without {needle!r}:\n"
                                             f"{self.text[after:]}")
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"no {needle!r} on {self.name} within {limit}s:\n"
                                 f"{self.text[after:]}") from None
        return found + len(needle)


class Child:
    """`python -m bot.app.cli ...` with stdout and stderr captured as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        assert process.stdout is not None and process.stderr is not None
        self.stdout = Capture("stdout", process.stdout)
        self.stderr = Capture("stderr", process.stderr)

    @classmethod
    async def start(cls, *args: str, env: dict[str, str], cwd: Path,
                    stdin: int = asyncio.subprocess.PIPE) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.app.cli", *args, cwd=cwd, env=env, stdin=stdin,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return cls(process)

    async def say(self, line: str, expect: str) -> None:
        """Type a line, then wait for `expect` in what is printed after it."""
        assert self.process.stdin is not None
        mark = len(self.stdout.text)
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        await self.stdout.wait_for(expect, after=mark)

    async def end_input(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.stdin.wait_closed()

    async def exit_code(self, limit: float = TIMEOUT) -> int:
        """Wait for the process to end and its output to be read in full."""
        try:
            code = await asyncio.wait_for(self.process.wait(), limit)
        except TimeoutError:
            raise AssertionError(f"still running after {limit}s:\n{self.stderr.text}") from None
        await asyncio.gather(self.stdout.task, self.stderr.task)
        return code

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


Spawn = Callable[..., Awaitable[Child]]


@pytest.fixture
async def spawn(tmp_path: Path) -> AsyncIterator[Spawn]:
    """Start `backcoach` children in tmp_path (no stray .env); any left running are killed."""
    children: list[Child] = []

    async def start(*args: str, env: dict[str, str],
                    stdin: int = asyncio.subprocess.PIPE) -> Child:
        child = await Child.start(*args, env=env, cwd=tmp_path, stdin=stdin)
        children.append(child)
        return child

    yield start
    for child in children:
        child.kill()
        await child.process.wait()


async def backcoach(cwd: Path, *args: str, env: dict[str, str],
                    limit: float = TIMEOUT) -> Result:
    """Run a command to completion with no input."""
    child = await Child.start(*args, env=env, cwd=cwd, stdin=asyncio.subprocess.DEVNULL)
    try:
        code = await child.exit_code(limit)
    finally:
        child.kill()
    return Result(code, child.stdout.text, child.stderr.text)


# chat -------------------------------------------------------------------------------------


async def test_chat_onboards_offline_in_the_terminal_and_ends_on_eof(
        spawn: Spawn, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path))
    chat = await spawn("chat", env=env)
    await chat.stdout.wait_for("Type /start to begin")
    await chat.say("/start", expect="[b] Not now")
    disclaimer = chat.stdout.text
    assert "bot: Hello, I'm Backcoach." in disclaimer
    assert "\n     Before we start\n" in disclaimer  # <b> rendered as plain text
    assert "I keep nothing about you." in disclaimer
    assert "\n     [a] ✅ I understand\n" in disclaimer
    await chat.say("a", expect="bot: Which country are you in?")
    await chat.stdout.wait_for("[n] Not sure: use 112")
    assert "[k] 🇵🇹 Portugal" in chat.stdout.text
    await chat.say("Portugal", expect="In 🇵🇹 Portugal, the emergency number is 112.")
    await chat.stdout.wait_for("[g] Done")  # the flow carries on after the answer ([f] All 5)
    await chat.end_input()
    assert await chat.exit_code() == 0
    assert "Traceback" not in chat.stderr.text
    assert (tmp_path / "db" / "backcoach.sqlite3").exists()


async def test_chat_saves_the_files_the_bot_sends_and_prints_where(
        spawn: Spawn, tmp_path: Path) -> None:
    """Files were shown as "[name.pdf, 75 kB]" and kept nowhere a person could open them."""
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path), CHAT_FILES_DIR="my files")
    chat = await spawn("chat", env=env)
    await chat.stdout.wait_for("Files the bot sends are saved in my files/.")
    await chat.say("/start", expect="[b] Not now")
    await chat.say("a", expect="[n] Not sure: use 112")
    await chat.say("k", expect="[g] Done")
    await chat.say("f", expect="✅ 5. Bird dog")  # All 5
    await chat.say("g", expect="These are right")
    await chat.say("a", expect="Got it")
    await chat.say("a", expect="all set")
    await chat.say("/export", expect="(saved as my files/backcoach-visit-")
    await chat.end_input()
    assert await chat.exit_code() == 0
    saved = list((tmp_path / "my files").iterdir())
    assert [path.suffix for path in saved] == [".pdf"]
    assert saved[0].read_bytes().startswith(b"%PDF-")
    assert f"(saved as my files/{saved[0].name})" in chat.stdout.text


async def test_chat_answers_after_a_restart_on_the_same_database(
        spawn: Spawn, tmp_path: Path) -> None:
    """The built-in emulator starts again where the database's update ids end: numbered
    from 1 each time, every message after a restart was a "duplicate" and went unanswered."""
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path))
    for exchanges in ([("/start", "[b] Not now"), ("a", "bot: Which country are you in?")],
                      [("/start", "bot: Welcome back."),
                       ("Portugal", "In 🇵🇹 Portugal, the emergency number is 112.")]):
        chat = await spawn("chat", env=env)
        await chat.stdout.wait_for("Type /start to begin")
        for line, expect in exchanges:
            await chat.say(line, expect=expect)
        await chat.end_input()
        assert await chat.exit_code() == 0
        assert "Traceback" not in chat.stderr.text


# run, offline -----------------------------------------------------------------------------


async def test_run_without_a_token_serves_offline_until_sigterm(
        spawn: Spawn, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path))
    run = await spawn("run", env=env, stdin=asyncio.subprocess.DEVNULL)
    end = await run.stderr.wait_for("Backcoach is running offline. Emulator: ")
    await run.stderr.wait_for("\n", after=end)
    base_url = run.stderr.text[end:].split("\n", 1)[0].strip()
    assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
    async with aiohttp.ClientSession() as session, \
            session.get(f"{base_url}{OFFLINE_TOKEN}/getMe") as response:
        me = await response.json()
    assert me["ok"] and me["result"]["is_bot"]
    started = asyncio.get_running_loop().time()
    run.process.send_signal(signal.SIGTERM)
    assert await run.exit_code(limit=5) == 0
    assert asyncio.get_running_loop().time() - started < 5
    assert "Traceback" not in run.stderr.text
    assert "Type /start" not in run.stdout.text  # not a terminal: serve, don't chat


async def test_offline_the_pages_are_served_on_this_machine(
        spawn: Spawn, tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path))
    run = await spawn("run", env=env, stdin=asyncio.subprocess.DEVNULL)
    end = await run.stderr.wait_for("Pages (/share): ")
    await run.stderr.wait_for("\n", after=end)
    pages = run.stderr.text[end:].split("\n", 1)[0].strip()
    assert pages.startswith("http://127.0.0.1:")
    async with aiohttp.ClientSession() as session, \
            session.get(f"{pages}/p/s/{'A' * 43}") as response:
        assert response.status == 404 and "Page not found" in await response.text()
        assert response.headers["Cache-Control"] == "no-store"
    run.process.send_signal(signal.SIGTERM)
    assert await run.exit_code(limit=5) == 0


# settings -----------------------------------------------------------------------------------


async def test_bad_settings_are_named_one_per_line_without_secrets(tmp_path: Path) -> None:
    env = cli_env(TELEGRAM_BOT_TOKEN="garbage-with-SECRETPART", DATABASE_URL="mysql://x",
                  RATE_LIMIT_GLOBAL="-3")
    result = await backcoach(tmp_path, "run", env=env)
    assert result.code == 2, result.stderr
    lines = result.stderr.splitlines()
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "RATE_LIMIT_GLOBAL"):
        assert len([line for line in lines if name in line]) == 1, (name, result.stderr)
    assert len(lines) == 4, result.stderr  # a heading and one line per bad setting
    assert "Traceback" not in result.stderr
    assert "SECRETPART" not in result.stdout + result.stderr
    assert "mysql://x" not in result.stdout + result.stderr
    assert not (tmp_path / "data").exists()  # nothing was started


@pytest.mark.parametrize("salt", [None, "", "backcoach", "REPLACE-with-a-long-random-value"])
async def test_with_a_token_a_guessable_person_ref_salt_stops_the_start(
        tmp_path: Path, salt: str | None) -> None:
    env = cli_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=sqlite_database_url(tmp_path),
                  TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",  # never the real Telegram
                  **({} if salt is None else {"PERSON_REF_SALT": salt}))
    result = await backcoach(tmp_path, "run", env=env)
    assert result.code == 2, result.stderr
    heading, line = result.stderr.strip().splitlines()
    assert heading.startswith("backcoach: ") and line.startswith("PERSON_REF_SALT: ")
    assert TOKEN.partition(":")[2] not in result.stdout + result.stderr
    assert not (tmp_path / "db").exists()  # nothing was started


# migrate ------------------------------------------------------------------------------------


async def test_migrate_creates_the_schema_and_is_harmless_twice(tmp_path: Path) -> None:
    url = sqlite_database_url(tmp_path)
    env = cli_env(DATABASE_URL=url)
    first = await backcoach(tmp_path, "migrate", env=env)
    assert first.code == 0, first.stderr
    assert first.stdout.strip() == "Database schema is up to date."
    engine = make_engine(url)
    try:
        assert await schema_is_current(engine)
        async with engine.begin() as connection:
            await connection.execute(insert(ProcessedUpdateRow).values(
                update_id=42, processed_at=datetime.now(UTC)))
    finally:
        await engine.dispose()

    second = await backcoach(tmp_path, "migrate", env=env)
    assert second.code == 0, second.stderr
    assert second.stdout.strip() == "Database schema is up to date."
    engine = make_engine(url)
    try:
        assert await schema_is_current(engine)
        async with engine.connect() as connection:
            rows = await connection.scalar(select(func.count()).select_from(ProcessedUpdateRow))
    finally:
        await engine.dispose()
    assert rows == 1  # the second run kept what was stored


async def test_migrate_against_an_unreachable_server_says_so_in_one_line(
        tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL="postgresql+asyncpg://nobody:hunter2pw@127.0.0.1:1/nothing")
    result = await backcoach(tmp_path, "migrate", env=env)
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("backcoach: ") and "DATABASE_URL" in lines[0]
    assert "hunter2pw" not in result.stdout + result.stderr
    assert "Database schema is up to date" not in result.stdout


# logs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_logs_hold_neither_the_token_nor_what_people_typed(
        emulator: Emulator, bot_process: BotProcess, tmp_path: Path, log_format: str) -> None:
    kept = {k: v for k, v in bot_process.env.items() if k in SETTING_NAMES}
    bot_process.env = cli_env(**kept, LOG_LEVEL="DEBUG", LOG_FORMAT=log_format)
    assert bot_process.env["TELEGRAM_BOT_TOKEN"] == TOKEN
    await bot_process.start()
    lena = emulator.user("Lena")
    note = "Quokka-private-note-7319"
    await lena.send_and_wait("/start", contains="I understand")
    await lena.press_and_wait("I understand", contains="Which country")
    await lena.send_and_wait("Deutschland", contains="emergency number is 112")
    await lena.send_and_wait(note, contains="Please type the numbers")
    assert await bot_process.terminate() == 0

    log = (tmp_path / "bot.log").read_text()
    assert "update handled" in log
    assert "Application started" in log  # the log is the process's, from start to stop
    secret_part = TOKEN.partition(":")[2]
    assert TOKEN not in log and secret_part not in log
    assert "deutschland" not in log.lower()
    assert note.lower() not in log.lower()
    assert str(lena.user_id) not in log  # people appear only as opaque references
    assert "Traceback" not in log
    if log_format == "json":
        entries = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        handled = [e for e in entries if e["message"] == "update handled"]
        assert len(handled) == 4 and all(e["person_ref"] for e in handled)
        assert not [line for line in log.splitlines() if line and not line.startswith("{")]
    else:
        assert LOG_LINE.match(log.splitlines()[0]), log


# diagrams -----------------------------------------------------------------------------------


def diagram_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in DIAGRAMS.glob("*.md")}


def restore_diagrams(before: dict[str, bytes]) -> None:
    """Put the checked-in files back, so a failing run leaves the package untouched."""
    for path in DIAGRAMS.glob("*.md"):
        if path.name not in before:
            path.unlink()
        elif path.read_bytes() != before[path.name]:
            path.write_bytes(before[path.name])


async def test_diagrams_match_the_checked_in_files(tmp_path: Path) -> None:
    before = diagram_files()
    assert before, f"no diagrams checked in under {DIAGRAMS}"
    try:
        result = await backcoach(tmp_path, "diagrams", env=cli_env())
        after = diagram_files()
    finally:
        restore_diagrams(before)
    assert result.code == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(before), result.stdout
    assert sorted(after) == sorted(before), "the flows changed: run `backcoach diagrams`"
    for name, content in before.items():
        assert after[name] == content, f"{name} is stale: run `backcoach diagrams`"
    assert not os.listdir(tmp_path)  # nothing written where it was run
