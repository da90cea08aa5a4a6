"""Replies as JSON and back, so what an update's answer was can be kept with it and sent
again if the process died between storing the update and sending its answer."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.engine.replies import Attach, Button, Join, Line, Param, Reply, Say, Toast


def encode(replies: list[Reply], **extra: Any) -> str:
    """The replies (and any extra JSON-ready fields) as a JSON text."""
    document = {**extra, "replies": [_reply(r) for r in replies]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> tuple[list[Reply], dict[str, Any]]:
    """The replies from encode()'s text, and the extra fields."""
    document = json.loads(text)
    replies = [_from_reply(item) for item in document.pop("replies")]
    return replies, document


def _reply(reply: Reply) -> dict[str, Any]:
    if isinstance(reply, Say):
        return {"say": [_line(line) for line in reply.lines],
                "buttons": [[_button(b) for b in row] for row in reply.buttons],
                "edit": reply.edit, "message_id": reply.message_id, "tag": reply.tag}
    if isinstance(reply, Toast):
        return {"toast": _line(reply.line)}
    return {"attach": reply.kind}


def _from_reply(item: dict[str, Any]) -> Reply:
    if "say" in item:
        return Say(tuple(_from_line(line) for line in item["say"]),
                   tuple(tuple(_from_button(b) for b in row) for row in item["buttons"]),
                   bool(item["edit"]), item["message_id"], item["tag"])
    if "toast" in item:
        return Toast(_from_line(item["toast"]))
    return Attach(str(item["attach"]))


def _line(line: Line) -> dict[str, Any]:
    return {"key": line.key, "params": {name: _param(v) for name, v in line.params.items()}}


def _from_line(item: dict[str, Any]) -> Line:
    return Line(str(item["key"]), {name: _from_param(v) for name, v in item["params"].items()})


def _param(value: Param) -> Any:
    if isinstance(value, Line):
        return {"line": _line(value)}
    if isinstance(value, Join):
        return {"join": [_line(item) for item in value.items], "separator": value.separator}
    return value


def _from_param(value: Any) -> Param:
    if isinstance(value, dict) and "line" in value:
        return _from_line(value["line"])
    if isinstance(value, dict) and "join" in value:
        return Join(tuple(_from_line(item) for item in value["join"]), value["separator"])
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"unexpected reply parameter {value!r}")
    return value


def _button(button: Button) -> dict[str, Any]:
    return {"label": _line(button.label), "action": button.action, "arg": button.arg}


def _from_button(item: dict[str, Any]) -> Button:
    return Button(_from_line(item["label"]), str(item["action"]), str(item["arg"]))
