"""`backcoach prescribe` as a clinician runs it: a real child process and a real database;
the link it prints then works in the real bot."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.emulator import Emulator
from storage.db import make_engine
from storage.models import ProgramLinkRow
from tests.e2e.conftest import TOKEN, StartBot
from tests.e2e.test_cli import backcoach, cli_env
from tests.storage.databases import sqlite_database_url

LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]{22})\n")


async def stored_links(url: str) -> list[ProgramLinkRow]:
    engine = make_engine(url)
    try:
        async with AsyncSession(engine) as session:
            return list((await session.scalars(select(ProgramLinkRow))).all())
    finally:
        await engine.dispose()


async def test_prescribe_prints_the_link_and_writes_the_qr_and_handout(
        tmp_path: Path, emulator: Emulator, start_bot: StartBot) -> None:
    url = sqlite_database_url(tmp_path)
    result = await backcoach(
        tmp_path, "prescribe", "--exercises", "1,bird_dog", "--dose", "bird_dog.sets=3",
        "--note", "Slowly, please.", "--visit", "2031-03-14", "--uses", "many", "--days", "7",
        "--out", "handouts", env=cli_env(DATABASE_URL=url))
    assert result.code == 0, result.stdout + result.stderr
    found = LINK.search(result.stdout)
    assert found is not None, result.stdout
    username, code = found.groups()
    assert username == "backcoach_bot"  # offline: the emulator's
    assert "for any number of patients" in result.stdout
    png = Path(re.findall(r"QR code: (.+)", result.stdout)[0])
    pdf = Path(re.findall(r"Handout: (.+)", result.stdout)[0])
    assert (tmp_path / png).read_bytes().startswith(b"\x89PNG")
    pages = PdfReader(io.BytesIO((tmp_path / pdf).read_bytes())).pages
    text = " ".join(pages[0].extract_text().split())
    assert len(pages) == 1 and "Bird dog" in text and "hold 15 s · 3 sets" in text
    assert "Slowly, please." in text and "14 Mar 2031" in text and code in text

    (row,) = await stored_links(url)
    assert row.code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert not row.single_use and row.uses == 0
    assert abs(row.expires_at - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=5)
    assert code not in result.stderr

    # The printed link works in the real bot, on the same database.
    async with start_bot(url):
        ana = emulator.user("Ana")
        await ana.send_and_wait(f"/start {code}", contains="I understand")
        await ana.press_and_wait("I understand", contains="Which country")
        await ana.press_and_wait("Portugal", contains="Your provider suggested")
    (row,) = await stored_links(url)
    assert row.uses == 1


async def test_an_amount_outside_the_safe_range_is_refused_and_nothing_made(
        tmp_path: Path) -> None:
    url = sqlite_database_url(tmp_path)
    result = await backcoach(tmp_path, "prescribe", "--exercises", "bird_dog", "--dose",
                             "bird_dog.sets=30", "--dose", "cat_camel.sets=2", "--out", "out",
                             env=cli_env(DATABASE_URL=url))
    assert result.code == 2
    assert "bird_dog sets must be 1 to 10, not 30" in result.stdout
    assert "a dose for 'cat_camel', which is not chosen" in result.stdout
    assert await stored_links(url) == [] and not (tmp_path / "out").exists()
    listed = await backcoach(tmp_path, "prescribe", "--list", env=cli_env(DATABASE_URL=url))
    assert listed.code == 0 and "5. bird_dog: hold_seconds 5-30 (usually 15)" in listed.stdout


async def test_with_a_token_the_username_comes_from_telegram(tmp_path: Path) -> None:
    async with Emulator(bot_username="clinic_helper_bot") as emulator:
        await emulator.start()
        env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path), TELEGRAM_BOT_TOKEN=TOKEN,
                      TELEGRAM_API_BASE_URL=emulator.base_url,
                      PERSON_REF_SALT="a-random-value-of-the-operators-own-0123456789")
        result = await backcoach(tmp_path, "prescribe", "--exercises", "all", env=env)
        named = await backcoach(tmp_path, "prescribe", "--exercises", "2",
                                env={**env, "BOT_USERNAME": "other_name_bot"})
    assert result.code == 0, result.stdout + result.stderr
    assert "https://t.me/clinic_helper_bot?start=" in result.stdout
    assert "for one patient" in result.stdout
    assert "https://t.me/other_name_bot?start=" in named.stdout
    for output in (result.stdout, result.stderr, named.stdout, named.stderr):
        assert TOKEN not in output and TOKEN.split(":")[1] not in output


async def test_without_telegram_it_says_how_to_name_the_bot(tmp_path: Path) -> None:
    env = cli_env(DATABASE_URL=sqlite_database_url(tmp_path), TELEGRAM_BOT_TOKEN=TOKEN,
                  TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
                  PERSON_REF_SALT="a-random-value-of-the-operators-own-0123456789")
    result = await backcoach(tmp_path, "prescribe", "--exercises", "1", env=env)
    assert result.code == 2
    assert "set BOT_USERNAME or pass --bot-username" in result.stdout
    assert TOKEN.split(":")[1] not in result.stdout + result.stderr
