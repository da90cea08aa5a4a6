"""Pain ratings as people type them: '4', 'four', 'about a 4/10', '4 out of 10', 'like a 6'."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.understanding.typing_help import read_rating
from bot.loaders.content import load_content

CATALOG = load_content().catalog
OUT_OF = CATALOG.words["out_of"]


def rating(text: str) -> int | None:
    return read_rating(text, CATALOG.numbers, OUT_OF)


@pytest.mark.parametrize(("typed", "expected"), [
    ("3", 3),
    ("0", 0),
    ("10", 10),
    ("four", 4),
    ("Four.", 4),
    ("4/10", 4),
    ("4 / 10", 4),
    ("about a 4/10", 4),
    ("4 out of 10", 4),
    ("four out of ten", 4),
    ("6 of 10", 6),
    ("like a 6", 6),
    ("maybe a 7 today", 7),
    ("10/10", 10),
    ("10 out of 10", 10),
    ("0 out of ten", 0),
    ("it's a 2", 2),
])
def test_typed_ratings_are_the_number_typed(typed: str, expected: int) -> None:
    assert rating(typed) == expected


@pytest.mark.parametrize("typed", [
    "4 or 5", "4.5", "11", "12/10", "40/100", "none", "", "out of 10", "a lot", "4/10 or 5/10",
    "3 4",
])
def test_no_single_rating_is_not_guessed(typed: str) -> None:
    assert rating(typed) is None


@given(st.integers(0, 10), st.sampled_from(["{n}", "{n}/10", "about a {n}", "{n} out of 10",
                                            "like a {n}/10", "a {n} of 10", "{n} / 10 today"]))
def test_every_rating_in_every_form(number: int, form: str) -> None:
    assert rating(form.format(n=number)) == number


@given(st.text(max_size=200))
def test_any_text_gives_a_rating_in_range_or_none(text: str) -> None:
    found = rating(text)
    assert found is None or 0 <= found <= 10
