"""The container's command, run here: no container engine runs on this machine, so the
image's ENTRYPOINT/CMD is run as the installed console script with the image's environment,
and its HEALTHCHECK command is run against it, in polling and in webhook mode."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

from bot.emulator import Emulator
from tests.e2e.conftest import ROOT, SALT, TOKEN
from tests.e2e.webhooks import PATH, free_ports, get

DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def image_command() -> list[str]:
    """ENTRYPOINT + CMD of the final stage."""
    text = DOCKERFILE.read_text()
    entry = json.loads(re.findall(r"^ENTRYPOINT (\[.*\])$", text, re.M)[-1])
    cmd = json.loads(re.findall(r"^CMD (\[.*\])$", text, re.M)[-1])
    return [*entry, *cmd]


def image_env() -> dict[str, str]:
    """The ENV of the final stage (after its last FROM), PATH left out."""
    text = DOCKERFILE.read_text()
    final = text[text.rindex("\nFROM "):]
    env: dict[str, str] = {}
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", final, re.M):
        for pair in shlex.split(block.replace("\\\n", " ")):
            name, _, value = pair.partition("=")
            env[name] = value
    env.pop("PATH", None)
    return env


def healthcheck() -> list[str]:
    """The HEALTHCHECK's CMD."""
    text = DOCKERFILE.read_text()
    match = re.search(r"HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])", text)
    assert match, "no HEALTHCHECK CMD"
    command: list[str] = json.loads(match.group(1))
    return [sys.executable if command[0] == "python" else command[0], *command[1:]]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_image_command_serves_and_passes_its_healthcheck(
        emulator: Emulator, tmp_path: Path, mode: str) -> None:
    command = image_command()
    assert command == ["backcoach", "run"]
    port, health_port = free_ports(2)
    env = {**os.environ, **image_env(), "WEBHOOK_PORT": str(port),
           "HEALTH_PORT": str(health_port),
           "TELEGRAM_BOT_TOKEN": TOKEN, "PERSON_REF_SALT": SALT,
           "TELEGRAM_API_BASE_URL": emulator.base_url,
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/backcoach.sqlite3"}
    if mode == "webhook":
        env["WEBHOOK_URL"] = f"http://127.0.0.1:{port}{PATH}"
    assert env["LOG_FORMAT"] == "json"
    script = Path(sys.executable).parent / command[0]  # the installed console script
    log = tmp_path / "bot.log"
    process = await asyncio.create_subprocess_exec(
        str(script), *command[1:], cwd=tmp_path, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=open(log, "ab"))  # noqa: SIM115, ASYNC230
    try:
        for _ in range(300):
            check = await asyncio.create_subprocess_exec(*healthcheck(), env=env)
            if await check.wait() == 0:
                break
            assert process.returncode is None, log.read_text()
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the healthcheck never passed:\n{log.read_text()}")
        ana = emulator.user("Ana")
        await ana.send_and_wait("/start", contains="I understand")
        assert bool(emulator.world.webhook.url) == (mode == "webhook")
        if mode == "webhook":  # the public port is the webhook's alone
            assert (await get(f"http://127.0.0.1:{port}/metrics"))[0] == 404
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 15) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    lines = [line for line in log.read_text().splitlines() if line]
    assert lines and all(json.loads(line)["level"] for line in lines)  # JSON, as set
