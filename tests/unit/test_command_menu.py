"""The command menu published with setMyCommands names every command the bot runs, in
every language it has (issue 17: /language included)."""

from __future__ import annotations

from bot.domain.routing.commands import COMMANDS
from bot.loaders.content import Content
from bot.telegram.app import MENU


def test_the_menu_lists_every_command_once() -> None:
    assert sorted(MENU) == sorted({*COMMANDS, "ask"})
    assert len(MENU) == len(set(MENU))


def test_every_language_describes_every_menu_entry(content: Content) -> None:
    for language, texts in content.locales.by_language.items():
        missing = [name for name in MENU if not texts.strings.get(f"menu.{name}")]
        assert missing == [], language
