"""Fixtures running storage tests against SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.uow import SqlUnitOfWork
from tests.storage.databases import (
    drop_postgres_database,
    postgres_database_url,
    postgres_unavailable_reason,
    reset_postgres_database,
    sqlite_database_url,
)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_test_database() -> AsyncIterator[str | None]:
    """One throwaway PostgreSQL database for the whole run, or None without a server."""
    url = await postgres_database_url()
    yield url
    if url is not None:
        await drop_postgres_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of the database a test runs on: a new SQLite file or the PostgreSQL one."""
    if request.param == "sqlite":
        return sqlite_database_url(tmp_path)
    # Looked up lazily so that a SQLite-only selection never touches PostgreSQL.
    url: str | None = request.getfixturevalue("postgres_test_database")
    if url is None:
        pytest.skip(postgres_unavailable_reason())
    return url


@pytest.fixture
async def empty_database_url(database_target: str) -> str:
    """A database URL with no tables in it."""
    if database_target.startswith("postgresql"):
        await reset_postgres_database(database_target)
    return database_target


@pytest.fixture
async def migrated_database_url(empty_database_url: str) -> str:
    """A database URL migrated to the head revision."""
    await asyncio.to_thread(upgrade_to_head, empty_database_url)
    return empty_database_url


@pytest.fixture
async def engine(migrated_database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a migrated database, disposed after the test."""
    engine = make_engine(migrated_database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on the migrated database."""
    return make_session_factory(engine)


@pytest.fixture
def new_uow(session_factory: async_sessionmaker[AsyncSession]) -> Callable[[], SqlUnitOfWork]:
    """Makes a fresh unit of work on the migrated database."""
    return lambda: SqlUnitOfWork(session_factory)
