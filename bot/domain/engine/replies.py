"""What the bot says back, as keys into the content catalogue; bot/telegram renders them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One piece of text: a string key from content/locales and its parameters.

    A parameter may itself be a Line (a translated name inside a sentence).
    """

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Join:
    """Several lines shown as one parameter, e.g. a bullet list joined by newlines."""

    items: tuple[Line, ...]
    separator: str = "\n"


Param = str | int | Line | Join


@dataclass(frozen=True)
class Button:
    """An inline button: its label and the action (with an argument) it triggers."""

    label: Line
    action: str
    arg: str = ""


@dataclass(frozen=True)
class Say:
    """A message: lines joined by blank lines, with rows of buttons.

    With edit=True it replaces a message instead of sending a new one: the one with
    message_id, or else the one whose button was pressed.
    """

    lines: tuple[Line, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    message_id: int | None = None
    tag: str | None = None  # the sender reports this message's id back under this name


@dataclass(frozen=True)
class Toast:
    """A short notice shown on a button press (the callback query's answer)."""

    line: Line


@dataclass(frozen=True)
class Attach:
    """Files the sender builds and sends here, e.g. the person's own data export."""

    kind: str


Reply = Say | Toast | Attach


def say(key: str, buttons: tuple[tuple[Button, ...], ...] = (), **params: Param) -> Say:
    """Build a one-line message."""
    return Say((Line(key, params),), buttons)


def button(key: str, action: str, arg: str = "", **params: Param) -> Button:
    """Build a button whose label is one string key."""
    return Button(Line(key, params), action, arg)



def press_notice(replies: list[Reply]) -> Toast | None:
    """The notice for a button press, unless a message sent with it says the same words.

    Shown on the button and again as a message, it was the same sentence read twice.
    """
    toast = next((r for r in replies if isinstance(r, Toast)), None)
    if toast is None:
        return None
    said = (line for reply in replies if isinstance(reply, Say) for line in reply.lines)
    return None if any(line == toast.line for line in said) else toast
