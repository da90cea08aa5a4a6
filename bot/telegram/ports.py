"""What the Telegram adapter needs from the rest of the bot, as narrow interfaces.

The composition root (bot/app/wiring.py's Deps) implements them; the adapter never sees
the database engine, the settings it does not use, or how any of these are built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pydantic import SecretStr

from bot.domain.limits.allowance import Limits
from bot.loaders.content import Content
from bot.services.ports import Clock, Renderer, UnitOfWork
from bot.services.retention import RetentionPolicy
from bot.web.metrics import Metrics


class AdapterSettings(Protocol):
    """The operator's settings the adapter reads (bot/config/settings.py has them all)."""

    @property
    def answer_presses_after(self) -> float:
        """Seconds a press may queue before it is answered ahead of its transaction."""
        ...

    @property
    def person_ref_salt(self) -> SecretStr:
        """The salt of the pseudonymous person reference in logs."""
        ...

    @property
    def rate_limit_per_chat(self) -> float:
        """Messages a second to one chat."""
        ...

    @property
    def rate_limit_global(self) -> float:
        """Messages a second overall."""
        ...

    @property
    def max_concurrent_updates(self) -> int:
        """Updates handled at once."""
        ...

    @property
    def max_waiting_per_person(self) -> int:
        """Updates that may wait behind one person's running one."""
        ...


class Ports(Protocol):
    """Everything the adapter uses from outside it: content, storage, time, counters."""

    @property
    def settings(self) -> AdapterSettings:
        """The settings the adapter reads."""
        ...

    @property
    def content(self) -> Content:
        """The program and every language's words."""
        ...

    @property
    def unit_of_work(self) -> Callable[[], UnitOfWork]:
        """A new transaction, for one use case."""
        ...

    @property
    def clock(self) -> Clock:
        """The time."""
        ...

    @property
    def metrics(self) -> Metrics:
        """The Prometheus counters this bot keeps."""
        ...

    @property
    def renderer(self) -> Renderer:
        """Where documents are drawn (worker processes)."""
        ...

    @property
    def limits(self) -> Limits:
        """The operator's limits, as the domain takes them."""
        ...

    @property
    def retention(self) -> RetentionPolicy:
        """How long what is kept is kept."""
        ...

    def is_transient(self, error: BaseException | None) -> bool:
        """A storage failure worth another try (the database was not reachable)."""
        ...
