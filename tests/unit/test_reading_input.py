"""Reading typed answers and button codes: property-based where the input space is open."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.engine.events import Press
from bot.domain.understanding.typing_help import find_country, normalise, read_number, read_numbers
from bot.loaders.content import load_content
from bot.telegram import callback_data

CATALOG = load_content().catalog
PART = st.from_regex(r"[A-Za-z0-9_.\-]{1,20}", fullmatch=True)


def test_normalise_strips_case_accents_and_punctuation() -> None:
    assert normalise("  España!! ") == "espana"
    assert normalise("I UNDERSTAND.") == "i understand"
    assert normalise("x" * 10_000) == "x" * 500


def test_numbers_in_short_answers() -> None:
    assert read_number("15", CATALOG.numbers) == 15
    assert read_number("20 s please", CATALOG.numbers) == 20
    assert read_number("Four", CATALOG.numbers) == 4
    assert read_number("2 or 3", CATALOG.numbers) is None
    assert read_number("1.5", CATALOG.numbers) is None
    assert read_number("none", CATALOG.numbers) is None
    assert read_numbers("1, 3 and 5") == [1, 3, 5]


def test_countries_by_name_alias_and_typo() -> None:
    def code(text: str) -> str | None:
        found = find_country(text, CATALOG.countries)
        return found.code if found else None

    assert code("Portugal") == "PT"
    assert code("england") == "GB"
    assert code("U.S.A.") == "US"
    assert code("Germny") == "DE"
    assert code("Deutschland") == "DE"
    assert code("日本") == "JP"
    assert code("Atlantis") is None
    assert code("") is None


@given(st.text(max_size=2000))
def test_any_text_is_read_without_error(text: str) -> None:
    normalise(text)
    read_number(text, CATALOG.numbers)
    find_country(text, CATALOG.countries)


@given(PART, st.one_of(st.just(""), PART), st.integers(min_value=0, max_value=10**9))
def test_callback_data_round_trips_within_64_bytes(action: str, arg: str, revision: int) -> None:
    data = callback_data.encode(action, arg, revision)
    assert len(data.encode()) <= 64
    assert callback_data.decode(data) == Press(action, arg, revision)


@given(st.text(max_size=100))
def test_forged_callback_data_never_decodes_to_something_odd(data: str) -> None:
    press = callback_data.decode(data)
    if press is not None:
        assert callback_data.encode(press.action, press.arg, press.revision) == data


def test_old_or_broken_codes_are_refused() -> None:
    assert callback_data.decode("0|agree||1") is None
    assert callback_data.decode("1|agree|") is None
    assert callback_data.decode("1|agree||x") is None
    assert callback_data.decode("1||x|1") is None
    assert callback_data.decode(None) is None
