"""The `backcoach` command: run, chat, migrate, emulator, diagrams, prescribe."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.app import prescribe_cli
from bot.app.shutdown import stop_event_on_signals
from bot.config.logs import configure_logging
from bot.config.settings import Settings, SettingsError, load_settings
from bot.loaders.content import ContentError, load_content

log = logging.getLogger("backcoach")
DIAGRAMS = Path(__file__).resolve().parent.parent / "domain" / "diagrams"


# On SQLite every statement hops to aiosqlite's thread and back (once: storage/sqlite_hops.py),
# and each hop waits for the other thread to give up the GIL: up to 5 ms by default. Under
# load transactions, one at a time on SQLite, queued behind those waits; 0.5 ms gave 20%
# more answers per second in the load benchmark, for less CPU per answer.
GIL_SWITCH_SECONDS = 0.0005


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `backcoach` console script."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["triage"]:
        from bot.app.triage_cli import run as run_triage

        return run_triage(argv[1:], sys.stdin, sys.stdout)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "diagrams":
        return write_diagrams()
    try:
        settings = load_settings()
        content = load_content(default_language=settings.default_language)
    except (SettingsError, ContentError) as error:
        print(f"backcoach: configuration problem:\n{error}", file=sys.stderr)
        return 2
    token = settings.telegram_bot_token
    secrets = [token.get_secret_value()] if token else []
    configure_logging(settings.log_level, settings.log_format, secrets)
    if args.command == "emulator":
        return asyncio.run(_serve_emulator(args.port))
    if not _migrate(settings):
        return 1
    if args.command == "migrate":
        print("Database schema is up to date.")
        return 0
    if args.command == "prescribe":
        return prescribe_cli.run(args, settings, content)
    if args.command == "chat" or (args.command == "run" and settings.offline):
        from bot.app.offline import run_offline

        return asyncio.run(run_offline(settings, interactive=args.command == "chat"
                                       or sys.stdin.isatty()))
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    return asyncio.run(_run_online(settings))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backcoach", description=(
        "Backcoach: a Telegram companion for a home upper back exercise program."))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="serve Telegram (offline emulator when no token is set)")
    commands.add_parser("chat", help="chat with the bot in this terminal, fully offline")
    commands.add_parser("migrate", help="bring the database schema up to date")
    emulator = commands.add_parser("emulator", help="serve only the Bot API emulator")
    emulator.add_argument("--port", type=int, default=8081)
    commands.add_parser("diagrams", help="regenerate the Mermaid diagrams of the flows and "
                        "of the routing between them")
    commands.add_parser("triage", help='how a message is triaged: '
                        'triage [--json|--explain] "TEXT", or --catalogue',
                        add_help=False)
    prescribe_cli.add_parser(commands)
    parser.set_defaults(command="run")
    return parser


def _migrate(settings: Settings) -> bool:
    from storage.migrate import upgrade_to_head

    try:
        upgrade_to_head(settings.database_url)
    except Exception as error:
        # The URL may hold a password; name only the kind of failure.
        print(f"backcoach: cannot prepare the database ({type(error).__name__}). "
              "Check DATABASE_URL and that the server is reachable.", file=sys.stderr)
        return False
    return True


def write_diagrams() -> int:
    """Write each flow's Mermaid diagram, and the routing table's, next to the domain code."""
    from bot.domain.engine.flows import diagrams
    from bot.domain.routing import table

    DIAGRAMS.mkdir(exist_ok=True)
    for name, text in {**diagrams(), "routing": table.page()}.items():
        (DIAGRAMS / f"{name}.md").write_text(text)
        print(f"wrote {DIAGRAMS / name}.md")
    return 0


async def _run_online(settings: Settings) -> int:
    from bot.app.runner import running_bot
    from bot.app.wiring import build_deps

    assert settings.telegram_bot_token is not None
    deps = build_deps(settings)
    starting = asyncio.create_task(deps.renderer.start())  # beside the bot's own start
    stop = stop_event_on_signals()
    try:
        async with running_bot(deps, settings.telegram_bot_token.get_secret_value(),
                               settings.telegram_api_base_url):
            log.info("backcoach is running; press Ctrl+C to stop")
            await stop.wait()
    finally:
        starting.cancel()
        await deps.close()
    return 0


async def _serve_emulator(port: int) -> int:
    from bot.emulator import Emulator

    stop = stop_event_on_signals()
    async with Emulator() as emulator:
        await emulator.start(port=port)
        print(f"Bot API emulator listening; TELEGRAM_API_BASE_URL={emulator.base_url}", flush=True)
        await stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
