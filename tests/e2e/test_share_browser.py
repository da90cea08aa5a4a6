"""The shared progress page in a real browser: Debian's headless Chromium loads it from the
running bot and the test reads what it got: the text, the chart drawn (its pixels in the
screenshot), and no console errors or Content-Security-Policy refusals.

Chromium comes from deploy/system-packages.txt (`python3 deploy/dev.py test` installs it
as root); without it these tests skip, saying so.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp import web
from PIL import Image

from bot.app.clock import ManualClock
from bot.web.pages import AddressBuckets, Pages, PagesServer, page
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_share import check_in, share, sharing_bot

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (python3 deploy/dev.py test installs "
                             "deploy/system-packages.txt when run as root)")
KEEP = os.environ.get("BACKCOACH_KEEP_SCREENSHOTS")  # a folder to copy the screenshots to
CHECKIN_BLUE = (0x00, 0x72, 0xB2)  # the chart's check-in colour (bot/export/chart.py)
# How Chromium reports a script error or a refused resource on stderr.
COMPLAINTS = ("Uncaught", "Refused to", "Content Security Policy", "CONSOLE")


async def chromium(url: str, profile: Path, *extra: str) -> tuple[str, str]:
    """Run headless Chromium on `url`: (stdout, stderr)."""
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0", *extra, url,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        async with asyncio.timeout(90):
            out, err = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return out.decode(errors="replace"), err.decode(errors="replace")


def complaints(stderr: str) -> list[str]:
    """The lines where Chromium reports a page error or a refusal."""
    return [line for line in stderr.splitlines() if any(c in line for c in COMPLAINTS)]


def blue_pixels(png: bytes) -> int:
    """How many pixels are (nearly) the chart's check-in blue."""
    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    r0, g0, b0 = CHECKIN_BLUE
    return sum(1 for i in range(0, len(data), 3)
               if abs(data[i] - r0) < 24 and abs(data[i + 1] - g0) < 24
               and abs(data[i + 2] - b0) < 24)


async def test_the_shared_page_in_chromium(timed: TimedWorld, tmp_path: Path) -> None:
    async with sharing_bot(timed):
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        for rating in ("6", "5", "4", "3"):
            await check_in(ana, rating)
            timed.clock.advance(days=1)
        await ana.send_and_wait("/ask Is it fine to swim on rest days?", contains="Saved")
        url, _ = await share(ana)

        dom, stderr = await chromium(url, tmp_path / "profile", "--dump-dom")
        assert "<title>My progress with Backcoach</title>" in dom
        assert "Is it fine to swim on rest days?" in dom
        assert '<img src="data:image/png;base64,' in dom
        assert not complaints(stderr), complaints(stderr)

        for name, size in (("phone", "412,2200"), ("desktop", "1280,1800")):
            shot = tmp_path / f"{name}.png"
            _, stderr = await chromium(url, tmp_path / "profile", f"--screenshot={shot}",
                                       f"--window-size={size}", "--hide-scrollbars")
            assert not complaints(stderr), complaints(stderr)
            png = shot.read_bytes()
            width = Image.open(io.BytesIO(png)).size[0]
            assert width == int(size.split(",")[0])
            # The chart was drawn: its check-in markers and line are on the screen.
            assert blue_pixels(png) > 50, name
            if KEEP is not None:  # to look at them, or to refresh the README's
                (Path(KEEP) / shot.name).write_bytes(png)

        # Printable: Chromium's print, read back as text (poppler-utils' pdftotext).
        printed = tmp_path / "printed.pdf"
        _, stderr = await chromium(url, tmp_path / "profile", f"--print-to-pdf={printed}",
                                   "--no-pdf-header-footer")
        assert not complaints(stderr), complaints(stderr)
        assert printed.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext") is not None:
            words = await asyncio.to_thread(subprocess.run, ["pdftotext", str(printed), "-"],
                                            capture_output=True, text=True, check=True)
            assert "Printed from a live page" in words.stdout  # the print-only note
            assert "Is it fine to swim on rest days?" in words.stdout
        if KEEP is not None:
            (Path(KEEP) / printed.name).write_bytes(printed.read_bytes())


async def test_the_check_for_refusals_finds_one(tmp_path: Path) -> None:
    """The complaint check can fail: an inline style without the nonce is refused, and
    Chromium says so on stderr."""
    async def bad(request: web.Request) -> web.Response:
        return page(request, "Bad", '<p style="color: red">styled without the nonce</p>'
                                    '<img src="http://127.0.0.1:9/x.png" alt="x">')

    pages = Pages(AddressBuckets(ManualClock(), 60, 10))
    pages.add_routes([web.get("/bad", bad)])
    server = PagesServer(pages)
    port = await server.start("127.0.0.1", 0)
    try:
        _, stderr = await chromium(f"http://127.0.0.1:{port}/p/bad", tmp_path / "profile",
                                   "--dump-dom")
    finally:
        await server.close()
    assert complaints(stderr)
