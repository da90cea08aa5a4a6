"""Reading content files: one error type naming the file and the field, for every loader."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError


class ContentError(Exception):
    """A content file is missing, unreadable or wrong; the message names file and field."""


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents, or ContentError saying plainly what is wrong with the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(f"{path}: file is missing") from None
    except OSError as exc:
        raise ContentError(f"{path}: cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: not valid TOML: {exc}") from None


def validated(model: Any, data: Any, path: Path) -> Any:
    """`data` validated into `model`, or ContentError naming the file and the first field."""
    try:
        return TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ContentError(f"{path}: {where}: {message}") from None


def load(model: Any, path: Path) -> Any:
    """Read a TOML file and validate it into `model`."""
    return validated(model, read_toml(path), path)
