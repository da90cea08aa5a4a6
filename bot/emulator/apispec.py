"""The Bot API specification subset in spec/bot_api.json, as objects with their limits read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .limits import Exclusive, Limits, exclusive_fields, field_limits, method_file_limit

SPEC_FILE = Path(__file__).parent / "spec" / "bot_api.json"
PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "InputFile"})


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method, or one field of a type."""

    name: str
    types: tuple[str, ...]  # alternatives, e.g. ("Integer", "String") or ("Array of BotCommand",)
    required: bool
    description: str
    limits: Limits


@dataclass(frozen=True)
class ObjectSpec:
    """A method (its parameters) or a type (its fields), as the spec describes it."""

    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    parent: str | None = None  # the abstract type this one is a kind of
    exclusive: Exclusive | None = None
    max_upload: int | None = None  # a method's upload limit in bytes, from its description
    accepts_string: bool = False  # "String can be used instead of this object" (KeyboardButton)

    @property
    def constant_type(self) -> str | None:
        """For a subtype told apart by its "type" field ("must be default"): that value."""
        field = self.fields.get("type")
        choices = field.limits.one_of if field else None
        return next(iter(choices)) if choices and len(choices) == 1 else None


def _fields(raw: list[dict[str, Any]]) -> dict[str, FieldSpec]:
    return {
        f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]),
                             f["description"], field_limits(f["description"]))
        for f in raw
    }


def _object(name: str, raw: dict[str, Any]) -> ObjectSpec:
    description = " ".join(raw.get("description", []))
    fields = _fields(raw.get("fields", []))
    return ObjectSpec(
        name=name,
        fields=fields,
        subtypes=tuple(raw.get("subtypes", [])),
        parent=(raw.get("subtype_of") or [None])[0],
        exclusive=exclusive_fields(description, list(fields)),
        max_upload=method_file_limit(description),
        accepts_string="String can be used instead of this object" in description,
    )


class ApiSpec:
    """Methods (looked up case-insensitively, as Telegram does) and types of the spec file."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.source: str = data["source"]
        methods: dict[str, dict[str, Any]] = data["methods"]
        types: dict[str, dict[str, Any]] = data["types"]
        self.methods = {name.lower(): _object(name, m) for name, m in methods.items()}
        self.types = {name: _object(name, t) for name, t in types.items()}
        update = self.types["Update"]
        # allowed_updates names the kinds of update: Update's optional fields.
        self.update_types = frozenset(n for n, f in update.fields.items() if not f.required)
        # One limit for every upload: Telegram's front refuses the whole request above it.
        self.upload_limit = min(m.max_upload for m in self.methods.values() if m.max_upload)

    def method(self, name: str) -> ObjectSpec | None:
        """The method of that name in any case, or None if the spec has none."""
        return self.methods.get(name.lower())

    def kind(self, name: str) -> ObjectSpec | None:
        """The type of that name, or None for a primitive or a type outside the subset."""
        return self.types.get(name)

    def subtype(self, abstract: ObjectSpec, type_value: Any) -> ObjectSpec | None:
        """The subtype of an abstract type whose "type" field has this value."""
        for name in abstract.subtypes:
            candidate = self.types.get(name)
            if candidate is not None and candidate.constant_type == type_value:
                return candidate
        return None

    def string_parameters(self) -> frozenset[str]:
        """Parameter names that only ever take text or a file: never decoded as JSON."""
        texts: set[str] = set()
        others: set[str] = set()
        for method in self.methods.values():
            for field in method.fields.values():
                plain = set(field.types) <= {"String", "InputFile"}
                (texts if plain else others).add(field.name)
        return frozenset(texts - others)


def load(path: Path = SPEC_FILE) -> ApiSpec:
    """Read a spec file (bot_api.json by default)."""
    return ApiSpec(json.loads(path.read_text(encoding="utf-8")))


SPEC = load()
