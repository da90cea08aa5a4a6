"""Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.domain.model import Conversation, Prescription
from storage.db import make_engine, make_session_factory
from storage.migrate import head_revision, schema_is_current, upgrade_to_head
from storage.models import Base
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import make_person, make_session
from tests.storage.migration_helpers import (
    downgrade_to,
    schema_differences,
    stamped_revisions,
    upgrade_to,
)


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
            assert await connection.run_sync(schema_differences)

        await asyncio.to_thread(upgrade_to_head, empty_database_url)
        assert await schema_is_current(engine)
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert tables == set(Base.metadata.tables) | {"alembic_version"}
            assert await connection.run_sync(schema_differences) == []
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
                text("INSERT INTO processed_updates (update_id, processed_at) "
                     "VALUES (1, '2025-01-01 00:00:00+00:00')")
            )
        await asyncio.to_thread(upgrade_to_head, migrated_database_url)
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM processed_updates"))
        assert count == 1
    finally:
        await engine.dispose()


async def test_upgrade_from_0001_keeps_people(empty_database_url: str) -> None:
    url = empty_database_url
    await asyncio.to_thread(upgrade_to, url, "0001")
    engine = make_engine(url)
    try:
        # As SQLAlchemy stores a UTC time in each database.
        created = (
            "'2025-01-02 03:04:05.000006'"
            if engine.dialect.name == "sqlite"
            else "'2025-01-02 03:04:05.000006+00'"
        )
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO people (id, telegram_user_id, chat_id, language, created_at,"
                    f" onboarded_at) VALUES (1, 42, 5000000042, 'de', {created}, {created})"
                )
            )
            await connection.execute(
                text("INSERT INTO prescriptions VALUES (1, 'chin_tuck', true, 5, 10, 2)")
            )
            await connection.execute(
                text(
                    "INSERT INTO conversations VALUES"
                    f" (1, 'main', 'idle', '{{\"k\": [1]}}', 3, {created})"
                )
            )
        await asyncio.to_thread(upgrade_to_head, url)

        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            person = await uow.people.get(42)
            assert await uow.holds.people_holding() == []
    finally:
        await engine.dispose()

    assert person is not None
    assert (person.id, person.chat_id, person.language) == (1, 5_000_000_042, "de")
    assert person.created_at == datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert person.onboarded_at == person.created_at
    assert (person.first_session_at, person.guided_holds, person.session) == (None, False, None)
    assert person.program == {"chin_tuck": Prescription("chin_tuck", True, 5, 10, 2)}
    assert person.conversation == Conversation("main", "idle", {"k": [1]}, 3)


async def test_downgrade_to_0001_and_back(migrated_database_url: str) -> None:
    url = migrated_database_url
    engine = make_engine(url)
    try:
        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            await uow.people.add(make_person(session=make_session()))
            await uow.commit()
    finally:
        await engine.dispose()

    await asyncio.to_thread(downgrade_to, url, "0001")
    assert await stamped_revisions(url) == ["0001"]
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            columns = await connection.run_sync(
                lambda c: {column["name"] for column in inspect(c).get_columns("people")}
            )
            counts = [
                await connection.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("people", "prescriptions", "conversations")
            ]
    finally:
        await engine.dispose()
    assert tables == {"people", "prescriptions", "conversations", "processed_updates"} | {
        "alembic_version"
    }
    assert not {"first_session_at", "guided_holds"} & columns
    # Rebuilding `people` on SQLite must not cascade into its children.
    assert counts == [1, 2, 1]

    await asyncio.to_thread(upgrade_to_head, url)
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_differences) == []
        async with SqlUnitOfWork(make_session_factory(engine)) as uow:
            person = await uow.people.get(1001)
    finally:
        await engine.dispose()
    assert person is not None and person.session is None
    assert person == make_person(id=person.id)


async def test_upgrade_to_head_refuses_to_block_a_running_loop() -> None:
    with pytest.raises(RuntimeError, match="to_thread"):
        upgrade_to_head("sqlite+aiosqlite:///unused.sqlite3")


def test_head_revision_names_the_newest_script() -> None:
    assert head_revision() == "0014"
