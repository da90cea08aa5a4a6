"""The bots of the load benchmark as processes of their own, as they run in production.

Telegram's servers and the people using the bot do not share its CPU; the emulator and the
crowd here would (all in one event loop, on one core) if the bot ran inside the benchmark's
process. So each bot is started as a child (`backcoach run`, or the echo bot's own main),
polls the emulator over loopback HTTP, and is measured from outside: its CPU time and peak
memory from /proc, its WARNING-and-worse log lines (JSON, one per line) from its stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.emulator import Emulator
from tests.bench.common import KINDS_KEPT

START_SECONDS = 60.0  # start-up (imports, migrations check) takes a second or two
STOP_SECONDS = 20.0
WARNING_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})


@dataclass
class ChildLogs:
    """WARNING-and-worse records a child logged, by kind, with one example of each."""

    kinds: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """All such records."""
        return sum(self.kinds.values())


def read_logs(path: Path, start: int) -> ChildLogs:
    """The warnings in a JSON-lines log from byte `start` on (other lines are skipped)."""
    logs = ChildLogs()
    with path.open("rb") as stream:
        stream.seek(start)
        for raw in stream:
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(entry, dict) or entry.get("level") not in WARNING_LEVELS:
                continue
            message = str(entry.get("message", ""))
            kind = f"{entry['level']} {entry.get('logger', '?')}: {message[:100]}"
            logs.kinds[kind] += 1
            if kind not in logs.samples and len(logs.samples) < KINDS_KEPT:
                logs.samples[kind] = f"{kind} {str(entry.get('exception', ''))[-300:]}"[:400]
    return logs


def getupdates_calls(emulator: Emulator) -> int:
    """How many getUpdates calls the emulator has answered so far."""
    return sum(1 for r in emulator.world.requests if r.method.lower() == "getupdates")


class BotChild:
    """One bot as a child process polling `emulator`; measured through /proc and its log."""

    def __init__(self, name: str, argv: Sequence[str], env: Mapping[str, str],
                 emulator: Emulator, folder: Path,
                 ready: Callable[[], Awaitable[bool]] | None = None) -> None:
        """`ready`: whether it has started (default: it polled the emulator for updates)."""
        self.name = name
        self._ready = ready
        self._argv = list(argv)
        self._env = {**os.environ, **env}
        self._emulator = emulator
        self.log_path = folder / f"{name}.log"
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        """The child's process id."""
        assert self._process is not None, "not started"
        return self._process.pid

    async def start(self) -> None:
        """Start the child and return once it is ready (polls the emulator for updates)."""
        before = getupdates_calls(self._emulator)
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                *self._argv, env=self._env, stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, stderr=log)
        for _ in range(int(START_SECONDS * 10)):
            if (await self._ready() if self._ready is not None
                    else getupdates_calls(self._emulator) > before):
                return
            if self._process.returncode is not None:
                break
            await asyncio.sleep(0.1)
        await self.stop()
        raise RuntimeError(f"{self.name} did not start polling; its log:\n"
                           f"{self.log_path.read_text(errors='replace')[-3000:]}")

    async def stop(self) -> None:
        """SIGTERM, a clean exit awaited, SIGKILL if it does not come."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()

    def cpu_seconds(self) -> float:
        """User plus system CPU time the child has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # After the ")" closing the command name, utime and stime are the 12th and 13th.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self) -> float:
        """The child's peak resident memory so far (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def log_size(self) -> int:
        """Bytes logged so far, to read only what a later stretch adds."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0


@contextlib.asynccontextmanager
async def running_child(child: BotChild) -> AsyncIterator[BotChild]:
    """The child started for the block and stopped after it, whatever happens."""
    try:
        await child.start()
        yield child
    finally:
        await child.stop()


def python_module(module: str, *args: str) -> list[str]:
    """The command running `module` with this interpreter, as `python -m module args`."""
    return [sys.executable, "-m", module, *args]


def free_port() -> int:
    """A TCP port nobody listens on now (the child binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def scrape(url: str) -> dict[str, float]:
    """A /metrics page as {sample name with labels: value}."""
    async with httpx.AsyncClient() as client:
        response = await client.get(url, timeout=10)
    response.raise_for_status()
    samples: dict[str, float] = {}
    for line in response.text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


class ChildGroup:
    """Several bot processes measured as one (webhook replicas behind a balancer): their
    CPU and peak memory added up, one log they all append to (`name`.log in `folder`)."""

    def __init__(self, children: Sequence[BotChild]) -> None:
        self.children = list(children)
        self.log_path = self.children[0].log_path

    def cpu_seconds(self) -> float:
        """User plus system CPU time of all of them so far."""
        return sum(child.cpu_seconds() for child in self.children)

    def peak_rss_mib(self) -> float:
        """The sum of their peak resident memories."""
        return sum(child.peak_rss_mib() for child in self.children)

    def log_size(self) -> int:
        """Bytes logged so far in the shared log."""
        return self.children[0].log_size()
