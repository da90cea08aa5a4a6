"""`backcoach prescribe`: a provider's program as a Telegram deep link, its QR code and a
one-page handout (README, "For clinicians")."""

from __future__ import annotations

import argparse
import asyncio
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config.settings import Settings

if TYPE_CHECKING:
    from bot.domain.catalog import Catalog
    from bot.loaders.content import Content
    from bot.services.prescribe import Created, Request

# Everything else is imported when `prescribe` runs: `backcoach` builds this parser for
# every command, and importing the adapter (and its document workers' pool) that early
# changed the order of the interpreter's exit hooks for `run` and `chat` (a traceback on
# exit from concurrent.futures, its wake-up pipe already closed).

DOSE = re.compile(r"^([a-z_]+)\.([a-z_]+)=(\d{1,4})$")


def add_parser(commands: Any) -> None:
    """Declare `prescribe` and its options on the `backcoach` command's subparsers."""
    cmd = commands.add_parser(
        "prescribe", help="make a program link for a patient: its QR code and handout",
        description="Make a program link a patient opens in Telegram: prints the link, "
                    "writes its QR code (PNG) and a one-page handout (PDF).")
    cmd.add_argument("--exercises", default="",
                     help='which exercises: ids or numbers, comma-separated ("1,3,5", '
                          '"head_rolls,bird_dog"), or "all"; --list shows them')
    cmd.add_argument("--dose", action="append", default=[], metavar="EXERCISE.FIELD=N",
                     help="an amount other than the usual, e.g. bird_dog.sets=3 (repeat it); "
                          "only inside the safe range")
    cmd.add_argument("--note", default=None, help="a short note for the patient (500 "
                     "characters at most)")
    cmd.add_argument("--visit", default=None, metavar="YYYY-MM-DD", help="the next visit")
    cmd.add_argument("--uses", choices=("single", "many"), default="single",
                     help="one patient (default) or any number of patients")
    cmd.add_argument("--days", type=int, default=None,
                     help="days the link works (default: PROGRAM_LINK_DAYS, 30)")
    cmd.add_argument("--language", default=None, help="the handout's language (default: "
                     "DEFAULT_LANGUAGE)")
    cmd.add_argument("--out", type=Path, default=Path("."), help="folder for the QR code "
                     "and the handout (default: the working folder)")
    cmd.add_argument("--bot-username", default=None, help="the bot's username (default: "
                     "BOT_USERNAME, else asked of Telegram, else the emulator's)")
    cmd.add_argument("--list", action="store_true", help="list the exercises and the safe "
                     "range of each amount, and stop")


def run(args: argparse.Namespace, settings: Settings, content: Content) -> int:
    """Make the link and its files; 2 (with every reason) when the request is refused."""
    catalog = content.catalog
    if args.list:
        print(exercise_list(catalog))
        return 0
    try:
        request = read_request(args, catalog, settings)
        username = asyncio.run(bot_username(args.bot_username, settings))
    except ValueError as error:
        print(f"backcoach prescribe: {error}", flush=True)
        return 2
    language = args.language or settings.default_language
    if language not in content.locales.by_language:
        print(f"backcoach prescribe: no language {language!r}; there are "
              f"{', '.join(sorted(content.locales.by_language))}")
        return 2
    try:
        created = asyncio.run(_create(settings, content, request, username, language))
    except ValueError as error:
        print(f"backcoach prescribe: {error}", flush=True)
        return 2
    png, pdf = write_files(args.out, created)
    kind = "one patient" if created.uses == "single" else "any number of patients"
    print(f"Program link, for {kind}, working until "
          f"{created.expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC:\n{created.url}\n"
          f"QR code: {png}\nHandout: {pdf}", flush=True)
    return 0


async def _create(settings: Settings, content: Content, request: Request, username: str,
                  language: str) -> Created:
    from bot.app.wiring import build_deps
    from bot.services.prescribe import prescribe
    from bot.telegram.files import wording

    deps = build_deps(settings, content=content)
    try:
        return await prescribe(deps.unit_of_work(), content.catalog, request, deps.clock.now(),
                               username, wording(content.locales.texts(language)))
    finally:
        await deps.engine.dispose()


def read_request(args: argparse.Namespace, catalog: Catalog, settings: Settings) -> Request:
    """The options as a Request; ValueError naming what is wrong (ranges are checked when
    the program is made)."""
    from bot.services.prescribe import Request

    chosen = exercise_ids(args.exercises, catalog)
    doses: dict[str, dict[str, int]] = {}
    for text in args.dose:
        match = DOSE.match(text.strip())
        if match is None:
            raise ValueError(f"--dose {text!r}: write it as EXERCISE.FIELD=N, like bird_dog.sets=3")
        doses.setdefault(match[1], {})[match[2]] = int(match[3])
    visit = None
    if args.visit:
        try:
            visit = date.fromisoformat(args.visit)
        except ValueError:
            raise ValueError(f"--visit {args.visit!r}: write the date as YYYY-MM-DD") from None
    days = settings.program_link_days if args.days is None else args.days
    if not 1 <= days <= 365:
        raise ValueError("--days must be 1 to 365")
    return Request(chosen, doses, args.note, visit, args.uses, days)


def exercise_ids(text: str, catalog: Catalog) -> list[str]:
    """Exercise ids from "1,3,5", "head_rolls,bird_dog" or "all"."""
    ids = [e.id for e in catalog.exercises]
    if text.strip().lower() == "all":
        return ids
    chosen = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part.isdigit() and 1 <= int(part) <= len(ids):
            chosen.append(ids[int(part) - 1])
        elif part in ids:
            chosen.append(part)
        else:
            raise ValueError(f"--exercises: no exercise {part!r}; --list shows them")
    if not chosen:
        raise ValueError("--exercises: choose at least one (--list shows them)")
    return chosen


def exercise_list(catalog: Catalog) -> str:
    """Each exercise with its number, id and the safe range of each amount."""
    lines = []
    for number, exercise in enumerate(catalog.exercises, start=1):
        ranges = ", ".join(f"{name} {r.min}-{r.max} (usually {r.default})"
                           for name, r in exercise.dose.items())
        lines.append(f"{number}. {exercise.id}: {ranges}")
    return "\n".join(lines)


async def bot_username(option: str | None, settings: Settings) -> str:
    """The username for the link: the option, the setting, Telegram's getMe with the token,
    or (offline) the emulator's."""
    if option or settings.bot_username:
        return str(option or settings.bot_username).lstrip("@")
    if settings.telegram_bot_token is None:
        from bot.emulator.server import BOT_USERNAME

        return BOT_USERNAME
    import aiohttp

    token = settings.telegram_bot_token.get_secret_value()
    url = f"{settings.telegram_api_base_url}{token}/getMe"
    try:
        async with (aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
                    http.get(url) as response):
            body = await response.json()
    except (aiohttp.ClientError, TimeoutError, ValueError):
        body = {}
    username = (body.get("result") or {}).get("username") if isinstance(body, dict) else None
    if not username:  # never print the URL: it holds the token
        raise ValueError("could not ask Telegram for the bot's username; set BOT_USERNAME "
                         "or pass --bot-username")
    return str(username)


def write_files(folder: Path, created: Created) -> tuple[Path, Path]:
    """The QR code and the handout, named by the time, never replacing a file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"program-link-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    for attempt in range(1, 100):
        name = stem if attempt == 1 else f"{stem}-{attempt}"
        png, pdf = folder / f"{name}.png", folder / f"{name}.pdf"
        if not png.exists() and not pdf.exists():
            png.write_bytes(created.qr_png)
            pdf.write_bytes(created.pdf)
            return png, pdf
    raise FileExistsError(f"too many program links named {stem} in {folder}")
