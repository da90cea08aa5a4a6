"""Values every replica shares: the first process stores one, everyone reads the same."""

from __future__ import annotations

import asyncio
import itertools

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.bot_settings import shared_value


async def test_the_first_value_stored_is_the_one_everyone_gets(engine: AsyncEngine) -> None:
    made = itertools.count(1)
    values = await asyncio.gather(*(shared_value(engine, "webhook_secret",
                                                 lambda: f"secret-{next(made)}")
                                    for _ in range(5)))
    assert len(set(values)) == 1 and values[0].startswith("secret-")
    assert await shared_value(engine, "webhook_secret", lambda: "another") == values[0]
    assert await shared_value(engine, "other", lambda: "x") == "x"
