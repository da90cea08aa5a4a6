"""Alembic steps and schema checks shared by the migration tests."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import make_engine
from storage.migrate import alembic_config
from storage.models import Base


def schema_differences(connection: Connection) -> list[object]:
    """What Alembic autogenerate would change to make the database match the models."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, Base.metadata))


def upgrade_to(url: str, revision: str) -> None:
    """Upgrade to `revision`; blocking, run it with asyncio.to_thread."""
    command.upgrade(alembic_config(url), revision)


def downgrade_to(url: str, revision: str) -> None:
    """Downgrade to `revision`; blocking, run it with asyncio.to_thread."""
    command.downgrade(alembic_config(url), revision)


async def stamped_revisions(url: str) -> list[str]:
    """The revisions in alembic_version."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return list(result.scalars())
    finally:
        await engine.dispose()


async def people_schema_and_counts(
    url: str, tables: tuple[str, ...]
) -> tuple[set[str], set[str], set[str | None], list[int]]:
    """After a migration step: table names, people's columns and indexes, and row counts."""
    from sqlalchemy import inspect

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            columns = await connection.run_sync(
                lambda c: {column["name"] for column in inspect(c).get_columns("people")}
            )
            indexes = await connection.run_sync(
                lambda c: {index["name"] for index in inspect(c).get_indexes("people")}
            )
            counts = [
                await connection.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in tables
            ]
    finally:
        await engine.dispose()
    return names, columns, indexes, [int(c or 0) for c in counts]
