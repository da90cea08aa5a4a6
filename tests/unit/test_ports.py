"""The adapter depends on narrow ports (bot/telegram/ports.py), not on the composition root:
bot/telegram and bot/web import nothing from bot.app, storage or SQLAlchemy, and only
bot/app builds storage. Read from the source's imports (every one, also inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = ("bot/telegram", "bot/web")
NOT_IN_ADAPTER = ("bot.app", "storage", "sqlalchemy")


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved."""
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return imports_in(path.read_text(), package)


def imports_in(source: str, package: list[str]) -> set[str]:
    """Modules imported by `source` in `package`; `from a import b` names a and a.b, since
    b may be a module (`from bot import app`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources(*ADAPTER), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_adapter_imports_no_composition_root_and_no_storage(path: Path) -> None:
    assert [name for name in imports(path) if within(name, NOT_IN_ADAPTER)] == []


def test_only_the_composition_root_imports_storage() -> None:
    outside = [path for path in sources("bot") if "app" not in path.relative_to(ROOT).parts[1:2]]
    found = {str(path.relative_to(ROOT)): name for path in outside for name in imports(path)
             if within(name, ("storage", "sqlalchemy"))}
    assert found == {}


def test_the_reading_sees_every_kind_of_import() -> None:
    # The rule is only as good as the reading: the wiring's own imports must be found,
    # whether written at the top, inside a function (cli.py) or relative.
    assert {"storage.db", "storage.errors", "sqlalchemy.ext.asyncio"} <= imports(
        ROOT / "bot/app/wiring.py")
    assert "bot.app.wiring" in imports(ROOT / "bot/app/cli.py")
    assert within("bot.app.wiring", NOT_IN_ADAPTER) and not within("bot.apparel", ("bot.app",))


def test_relative_and_nested_imports_are_resolved() -> None:
    assert module_of(ROOT / "bot/telegram/handlers.py") == "bot.telegram.handlers"
    assert module_of(ROOT / "bot/web/__init__.py") == "bot.web"
    source = "def f():\n    from ..app import wiring\n    from . import runtime\n"
    assert imports_in(source, ["bot", "telegram"]) == {
        "bot.app", "bot.app.wiring", "bot.telegram", "bot.telegram.runtime"}
    assert "bot.app" in imports_in("from bot import app\n", ["bot", "web"])
