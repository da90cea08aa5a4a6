"""Values the bot generates once and every replica then shares (the webhook secret)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import BotSettingRow


async def shared_value(engine: AsyncEngine, name: str, generate: Callable[[], str]) -> str:
    """The stored value of `name`; the first process to ask stores `generate()`.

    Two replicas starting together both try to insert; the loser's insert does nothing and
    both read the winner's value.
    """
    build = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    async with engine.begin() as connection:
        await connection.execute(
            build(BotSettingRow).values(name=name, value=generate())
            .on_conflict_do_nothing(index_elements=[BotSettingRow.name]))
        stored = await connection.execute(
            select(BotSettingRow.value).where(BotSettingRow.name == name))
        return str(stored.scalar_one())
