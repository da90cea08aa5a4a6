"""Real test databases: a SQLite file, or a throwaway database on a PostgreSQL server.

Kept free of pytest fixtures so that any conftest (tests/conftest.py included) can build
its own fixtures from these helpers.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

POSTGRES_URL_ENV = "BACKCOACH_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_SECONDS = 5


def postgres_server_url() -> str:
    """The URL of an existing database on the test server, used to create others."""
    return os.environ.get(POSTGRES_URL_ENV) or DEFAULT_POSTGRES_URL


def printable(url: str) -> str:
    """The URL with any password masked, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def sqlite_database_url(folder: Path) -> str:
    """A SQLite file URL inside a not-yet-existing subfolder (make_engine creates it)."""
    return f"sqlite+aiosqlite:///{folder / 'db' / 'backcoach.sqlite3'}"


def postgres_unavailable_reason() -> str:
    """Why PostgreSQL tests are skipped, naming the URL and how to change it."""
    return (
        f"no PostgreSQL server reachable at {printable(postgres_server_url())} "
        f"(set {POSTGRES_URL_ENV} to a postgresql+asyncpg:// URL to run these)"
    )


async def postgres_database_url() -> str | None:
    """Create a fresh, uniquely named database on the test server; its URL, or None.

    None means no server answered. Other failures (a wrong password, say) are raised
    when the URL was given explicitly, since that is a misconfiguration to fix.
    """
    server = make_url(postgres_server_url())
    name = f"backcoach_test_{os.getpid()}_{secrets.token_hex(4)}"
    engine = _admin_engine(postgres_server_url())
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except (OSError, TimeoutError):
        return None
    except Exception:
        if POSTGRES_URL_ENV in os.environ:
            raise
        return None
    finally:
        await engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    """Drop a database made by postgres_database_url, closing its open connections."""
    name = make_url(url).database
    engine = _admin_engine(postgres_server_url())
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


async def reset_postgres_database(url: str) -> None:
    """Remove every table (and the Alembic stamp) so the database is empty again."""
    engine = _admin_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def _admin_engine(url: str) -> AsyncEngine:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    return create_async_engine(
        url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )
