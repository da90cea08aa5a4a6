"""Load and validate content/triage.toml into the triage domain's Catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.content_loader import ContentError, read_toml
from bot.domain.triage import Catalogue, Level, Rule
from content import CONTENT_DIR

_LEVELS = ", ".join(level.label for level in Level if level != Level.NONE)
_RULE_FIELDS = set(Rule.__dataclass_fields__)
_CATALOGUE_FIELDS = set(Catalogue.__dataclass_fields__)
_ADAPTER: TypeAdapter[Catalogue] = TypeAdapter(Catalogue)


def _check_fields(data: dict[str, Any], path: Path) -> None:
    """Unknown keys are mistakes ('paterns'): name them instead of ignoring them."""
    for key in sorted(set(data) - _CATALOGUE_FIELDS):
        raise ContentError(f"{path}: {key}: unknown field")
    rules = data.get("rules")
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if isinstance(rule, dict):
            for key in sorted(set(rule) - _RULE_FIELDS):
                raise ContentError(f"{path}: rules.{index}.{key}: unknown field "
                                   f"(rule {rule.get('id', '?')})")
            level = rule.get("level")
            if isinstance(level, str) and level not in {lv.label for lv in Level} - {"none"}:
                raise ContentError(f"{path}: rules.{index}.level: {level!r} is not one of "
                                   f"{_LEVELS} (rule {rule.get('id', '?')})")


def load_catalogue(path: Path = CONTENT_DIR / "triage.toml") -> Catalogue:
    """Read the triage catalogue, or raise ContentError naming the file and the field."""
    data = read_toml(path)
    _check_fields(data, path)
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ContentError(f"{path}: {where}: {message}") from None
