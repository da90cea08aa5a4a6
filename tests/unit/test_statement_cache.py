"""The statements every update runs are built once and compiled once: SQLAlchemy caches a
compiled statement only when it can key it, and some constructs (the dialects' own INSERT
with ON CONFLICT) it never keys, which compiled the update log's claim anew per update."""

from __future__ import annotations

from types import ModuleType

import pytest
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.cache_key import HasCacheKey

import storage.person_rows
import storage.queries
import storage.update_log


def _statements(module: ModuleType) -> list[tuple[str, HasCacheKey]]:
    found: list[tuple[str, HasCacheKey]] = []
    for name, value in vars(module).items():
        values = value.items() if isinstance(value, dict) else [(name, value)]
        found += [(f"{module.__name__}.{key}", v) for key, v in values
                  if isinstance(v, Executable) and isinstance(v, HasCacheKey)]
    return found


HOT = [*_statements(storage.update_log), *_statements(storage.person_rows),
       *_statements(storage.queries)]


def test_the_hot_path_has_its_statements_built_in_advance() -> None:
    names = {name for name, _ in HOT}
    assert {"storage.update_log._CLAIM", "storage.update_log._KEEP",
            "storage.person_rows.PERSON_BY_ID", "storage.person_rows._UPDATE_PERSON",
            "storage.queries.LOCK_PERSON"} <= names


@pytest.mark.parametrize(("name", "statement"), HOT, ids=[name for name, _ in HOT])
def test_each_statement_of_the_hot_path_can_be_cached_compiled(
        name: str, statement: HasCacheKey) -> None:
    assert statement._generate_cache_key() is not None, name
