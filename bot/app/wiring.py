"""Build the long-lived parts of a running bot once: content, database, clock.

The composition root: the only place that builds concrete storage, and whose Deps
implements the narrow ports the adapter takes (bot/telegram/ports.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.clock import Clock, SystemClock
from bot.config.settings import Settings
from bot.domain.limits.allowance import Limits
from bot.export.render_pool import DocumentRenderer
from bot.loaders.content import Content, load_content
from bot.services.ports import UnitOfWork
from bot.services.retention import RetentionPolicy, policy
from bot.web.metrics import Metrics
from storage.db import make_engine, make_session_factory
from storage.errors import is_transient
from storage.uow import SqlUnitOfWork


@dataclass
class Deps:
    """What handlers need: the program content, a unit-of-work factory and a clock."""

    settings: Settings
    content: Content
    engine: AsyncEngine
    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    metrics: Metrics = field(default_factory=Metrics)
    renderer: DocumentRenderer = field(default_factory=DocumentRenderer)

    @property
    def limits(self) -> Limits:
        """The operator's limits, as the domain takes them."""
        return Limits(timedelta(seconds=self.settings.document_cooldown_seconds))

    @property
    def retention(self) -> RetentionPolicy:
        """How long what is kept is kept, as the settings ask."""
        return policy(self.settings)

    def is_transient(self, error: BaseException | None) -> bool:
        """A storage failure worth another try (the database was not reachable)."""
        return is_transient(error)

    async def close(self) -> None:
        """Stop the document workers and release database connections."""
        self.renderer.close()
        await self.engine.dispose()


def build_deps(settings: Settings, clock: Clock | None = None,
               content: Content | None = None) -> Deps:
    """Wire the database and content for these settings (schema migration is separate)."""
    content = content or load_content(default_language=settings.default_language)
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    gate = asyncio.Lock() if engine.dialect.name == "sqlite" else None
    renderer = DocumentRenderer(settings.render_workers, settings.render_timeout_seconds)
    return Deps(settings, content, engine,
                lambda: SqlUnitOfWork(sessions, clock.now, write_gate=gate), clock,
                renderer=renderer)
