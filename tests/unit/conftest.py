"""Shared helpers for the pure domain tests: a person, the real content, a tiny driver."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.engine.events import Command, Event, Press, Text
from bot.domain.engine.replies import Reply, Say, Toast
from bot.domain.limits.allowance import Limits
from bot.domain.model import Person, Session
from bot.domain.routing.router import handle
from bot.loaders.content import Content, load_content
from bot.telegram.rendering import render_lines, render_plain

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def said(reply: Reply) -> Say:
    """A reply a test expects to be a message (not a pop-up or a file)."""
    assert isinstance(reply, Say), f"expected a message, got {reply!r}"
    return reply


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


class Chat:
    """Drives the conversation domain directly and renders what it says, as a person sees it."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.texts = content.locales.texts("en")
        self.person = Person(42, 42, "en", created_at=NOW)
        self.replies: list[Reply] = []
        self.keyboard: Say | None = None
        self._ids = 0
        self.limits: Limits | None = None  # the operator's; None: the defaults

    def do(self, event: Event, now: datetime = NOW) -> list[Reply]:
        self.replies = handle(self.person, event, self.content.catalog, now, self.limits)
        # As the repository does on save: every new question gets its id.
        for question in self.person.questions:
            if question.id is None:
                self._ids += 1
                question.id = self._ids
        with_buttons = [r for r in self.replies if isinstance(r, Say) and r.buttons]
        self.keyboard = with_buttons[-1] if with_buttons else self.keyboard
        return self.replies

    def send(self, text: str) -> list[Reply]:
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return self.do(Command(name, args))
        return self.do(Text(text))

    def press(self, label: str) -> list[Reply]:
        """Press the button whose label contains `label` on the last message with buttons."""
        if self.keyboard is None:
            raise AssertionError("no message with buttons")
        buttons = [b for row in self.keyboard.buttons for b in row]
        exact = [b for b in buttons if render_plain(b.label, self.texts) == label]
        for button in exact or buttons:
            if label.lower() in render_plain(button.label, self.texts).lower():
                return self.do(Press(button.action, button.arg,
                                     self.person.conversation.revision))
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [render_plain(b.label, self.texts)
                for r in self.replies if isinstance(r, Say) for row in r.buttons for b in row]

    @property
    def text(self) -> str:
        return "\n".join(render_lines(r.lines, self.texts) for r in self.replies
                         if isinstance(r, Say))

    @property
    def toasts(self) -> list[str]:
        return [render_plain(r.line, self.texts) for r in self.replies if isinstance(r, Toast)]

    @property
    def session(self) -> Session:
        """The person's session, which a test reading it expects to be there."""
        session = self.person.session
        assert session is not None, "no session"
        return session

    @property
    def state(self) -> str:
        return f"{self.person.conversation.flow}/{self.person.conversation.state}"


@pytest.fixture
def chat(content: Content) -> Chat:
    return Chat(content)
