"""Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage.db import make_engine
from storage.migrate import head_revision, schema_is_current, upgrade_to_head
from storage.models import Base


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_reach_head_and_match_models(
    empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Alembic must be found relative to the package, not the working directory.
    monkeypatch.chdir(tmp_path)
    engine = make_engine(empty_database_url)
    try:
        assert not await schema_is_current(engine)
        async with engine.connect() as connection:
            # Proves the comparison below can see differences at all.
            assert await connection.run_sync(_differences)

        await asyncio.to_thread(upgrade_to_head, empty_database_url)
        assert await schema_is_current(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert tables == set(Base.metadata.tables) | {"alembic_version"}
            assert await connection.run_sync(_differences) == []
            version = await connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalars().all() == [head_revision()]

        await asyncio.to_thread(upgrade_to_head, empty_database_url)
        assert await schema_is_current(engine)
    finally:
        await engine.dispose()


async def test_upgrade_keeps_data(migrated_database_url: str) -> None:
    engine = make_engine(migrated_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO processed_updates VALUES (1, '2025-01-01 00:00:00+00:00')")
            )
        await asyncio.to_thread(upgrade_to_head, migrated_database_url)
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM processed_updates"))
        assert count == 1
    finally:
        await engine.dispose()


async def test_upgrade_to_head_refuses_to_block_a_running_loop() -> None:
    with pytest.raises(RuntimeError, match="to_thread"):
        upgrade_to_head("sqlite+aiosqlite:///unused.sqlite3")


def test_head_revision_names_the_newest_script() -> None:
    assert head_revision() == "0001"
