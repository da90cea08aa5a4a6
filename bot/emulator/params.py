"""Reads method parameters from query strings, JSON, url-encoded forms and multipart uploads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from .apispec import SPEC
from .errors import bad_request

# Telegram takes these as strings even when they look like numbers or JSON ("123", "true"):
# the parameters the spec types as String (or a file) only.
STRING_FIELDS = SPEC.string_parameters()


class UndeclaredParameter(LookupError):
    """A handler read a parameter its method does not have in the spec: an emulator bug."""


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    data: bytes
    filename: str
    content_type: str


@dataclass
class Params:
    """Decoded parameters of one Bot API call."""

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    # The method's parameters in the spec; a handler reading any other name is a bug.
    declared: frozenset[str] | None = None

    def _read(self, name: str) -> None:
        if self.declared is not None and name not in self.declared:
            raise UndeclaredParameter(f"parameter {name!r} is not declared for this method")

    def has(self, name: str) -> bool:
        """Whether the parameter was sent at all."""
        self._read(name)
        return name in self.values or name in self.files

    def raw(self, name: str) -> Any:
        """The decoded value, or None."""
        self._read(name)
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        """A string parameter; numbers sent by JSON clients are turned back into text."""
        self._read(name)
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; refuses values that are not integers."""
        self._read(name)
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be of type Integer')

    def flag(self, name: str) -> bool:
        """A boolean parameter; absent means false."""
        self._read(name)
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str) -> Any:
        """A JSON object or array parameter, decoding it if it came as a string."""
        self._read(name)
        value = self.values.get(name)
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def upload(self, name: str) -> UploadedFile | str | None:
        """A file: an uploaded part (directly or via attach://) or a file_id / URL string."""
        self._read(name)
        if name in self.files:
            return self.files[name]
        value = self.text(name)
        if value and value.startswith("attach://"):
            return self.files.get(value[len("attach://") :])
        return value or None


def _decode(name: str, value: str) -> Any:
    if name in STRING_FIELDS:
        return value
    stripped = value.strip()
    if stripped[:1] in ("{", "[", '"') or stripped in ("true", "false", "null"):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    return value


async def read_params(request: web.Request) -> Params:
    """All parameters of a request however the client encoded them."""
    params = Params()
    for key, value in request.query.items():
        params.values[key] = _decode(key, value)
    content_type = request.content_type
    if request.method != "POST" or not request.can_read_body:
        return params
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if isinstance(body, dict):
            params.values.update(body)
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        for key, item in form.items():
            if isinstance(item, str):
                params.values[key] = _decode(key, item)
    elif content_type.startswith("multipart/"):
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is not None:
                data = bytes(await part.read())
                kind = part.headers.get("Content-Type", "application/octet-stream")
                params.files[part.name] = UploadedFile(data, part.filename, kind)
            else:
                params.values[part.name] = _decode(part.name, await part.text())
    return params
