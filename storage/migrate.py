"""Alembic, configured in code: upgrade a database and check that its schema is current."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_VERSIONS = text("SELECT version_num FROM alembic_version")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config for our migrations folder, without any alembic.ini."""
    config = Config()
    # ConfigParser interpolation treats % specially, in paths as in URLs.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade_to_head(url: str) -> None:
    """Apply every pending migration; blocking, so from async code use asyncio.to_thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        # env.py runs its own event loop, which cannot start inside a running one.
        raise RuntimeError("upgrade_to_head blocks: call it with asyncio.to_thread(...)")
    command.upgrade(alembic_config(url), "head")


@functools.cache
def head_revision() -> str:
    """The newest revision among the migration scripts (read once: they do not change
    while the process runs, and reading them took milliseconds per readiness check)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


async def schema_is_current(engine: AsyncEngine) -> bool:
    """True when the database is stamped with the head revision and nothing else."""
    async with engine.connect() as connection:
        heads = await connection.run_sync(_current_heads)
    return set(heads) == {head_revision()}


async def schema_versions(engine: AsyncEngine) -> set[str]:
    """The revisions the database is stamped with: one cheap question, for readiness."""
    async with engine.connect() as connection:
        return set((await connection.execute(_VERSIONS)).scalars())


def _current_heads(connection: Connection) -> tuple[str, ...]:
    return tuple(MigrationContext.configure(connection).get_current_heads())
