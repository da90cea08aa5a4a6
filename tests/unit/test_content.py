"""content/ loads, every key the code uses exists, and bad files are named precisely."""

from __future__ import annotations

import re
import shutil
from datetime import date, time
from pathlib import Path

import pytest

from bot.domain.reminders.schedule import find_zone, parse_days, parse_hours
from bot.domain.understanding.dates import parse_date
from bot.loaders.content import ContentError, load_content
from content import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[2]
LITERAL_KEY = re.compile(r"""(?:say|button|Line)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_the_shipped_program_matches_the_brief() -> None:
    catalog = load_content().catalog
    ids = [e.id for e in catalog.exercises]
    assert ids == ["head_rolls", "scapular_squeeze", "pec_stretch", "cat_camel", "bird_dog"]
    doses = {e.id: {k: v.default for k, v in e.dose.items()} for e in catalog.exercises}
    assert doses == {
        "head_rolls": {"hold_seconds": 5, "sets": 3},
        "scapular_squeeze": {"hold_seconds": 3, "repetitions": 3},
        "pec_stretch": {"hold_seconds": 15, "repetitions": 3},
        "cat_camel": {"hold_seconds": 5, "sets": 3},
        "bird_dog": {"hold_seconds": 15, "sets": 5},
    }
    assert catalog.emergency_number("US") == "911"
    assert catalog.emergency_number(None) == "112"
    assert len(catalog.safety_rules) == 4


def test_every_literal_key_in_the_code_exists_in_every_language() -> None:
    locales = load_content().locales
    used = set()
    for path in (ROOT / "bot").rglob("*.py"):
        used.update(LITERAL_KEY.findall(path.read_text()))
    assert len(used) > 40
    for texts in locales.by_language.values():
        missing = sorted(k for k in used if k not in texts.strings)
        assert not missing, f"{texts.language} lacks {missing}"


def test_the_source_is_credited() -> None:
    content = load_content()
    assert "Drugs.com" in content.source
    assert "Merative" in content.locales.texts("en").template("common.about")


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def test_a_default_outside_its_range_names_file_and_field(broken: Path) -> None:
    program = broken / "program.toml"
    program.write_text(program.read_text().replace(
        "dose.sets = { default = 5, min = 1, max = 10 }",
        "dose.sets = { default = 50, min = 1, max = 10 }"))
    with pytest.raises(ContentError) as error:
        load_content(broken)
    assert "program.toml" in str(error.value) and "exercises.4" in str(error.value)
    assert "default=50" in str(error.value)


def test_an_unknown_field_is_refused(broken: Path) -> None:
    program = broken / "program.toml"
    program.write_text(program.read_text().replace('version = 1', 'version = 1\nvershun = 2'))
    with pytest.raises(ContentError, match=r"program.toml: vershun: Extra inputs"):
        load_content(broken)


def test_a_missing_exercise_text_is_named(broken: Path) -> None:
    texts = broken / "locales" / "en" / "exercises.toml"
    texts.write_text(texts.read_text().replace('lean = "Lean', 'leen = "Lean'))
    with pytest.raises(ContentError, match=r"exercises.toml: pec_stretch.steps.lean: missing"):
        load_content(broken)


def copy_locale(broken: Path, language: str) -> Path:
    """A second language folder made from the English one (its triage words say which)."""
    second = broken / "locales" / language
    shutil.copytree(broken / "locales" / "en", second)
    words = second / "triage.toml"
    words.write_text(words.read_text().replace('language = "en"', f'language = "{language}"'))
    return second


def test_a_second_language_must_have_every_key_with_the_same_placeholders(broken: Path) -> None:
    second = copy_locale(broken, "pt")
    strings = second / "strings.toml"
    strings.write_text(strings.read_text().replace("{command}", "{comando}"))
    with pytest.raises(ContentError,
                       match=r"pt/strings.toml: common.unknown_command: placeholders differ"):
        load_content(broken)


def test_a_second_language_is_only_new_files(broken: Path) -> None:
    second = copy_locale(broken, "pt")
    strings = second / "strings.toml"
    strings.write_text(strings.read_text().replace('btn_decline = "Not now"',
                                                   'btn_decline = "Agora não"'))
    content = load_content(broken)
    assert content.locales.pick("pt-BR") == "pt"
    assert content.locales.texts("pt").template("onboarding.btn_decline") == "Agora não"
    assert content.locales.pick("fr") == "en"


def test_broken_toml_is_reported(broken: Path) -> None:
    (broken / "countries.toml").write_text("common = [")
    with pytest.raises(ContentError, match=r"countries.toml: not valid TOML"):
        load_content(broken)


def test_a_second_languages_dates_days_times_and_places_are_read_with_the_first() -> None:
    # The shipped Spanish words (content/locales/es), read together with the English ones.
    catalog = load_content().catalog
    monday = date(2026, 1, 5)
    assert parse_date("lunes", monday, catalog.dates) == date(2026, 1, 12)
    assert parse_date("monday", monday, catalog.dates) == date(2026, 1, 12)  # English still
    assert parse_date("Mañana", monday, catalog.dates) == date(2026, 1, 6)
    assert parse_days("lunes a fri", catalog.days) == (0, 1, 2, 3, 4)
    assert parse_days("lu-we", catalog.days) == (0, 1, 2)  # first letters, in either language
    assert parse_hours("10pm a 7am", catalog.times) == (time(22), time(7))  # 'am' stays whole
    assert find_zone("Londres", catalog.places) == "Europe/London"


def test_a_word_meaning_two_things_in_two_languages_stops_the_start(broken: Path) -> None:
    calendar = copy_locale(broken, "pt") / "calendar.toml"
    calendar.write_text(calendar.read_text()
                        .replace('3 = ["march", "mar"]', '3 = ["marzo"]')
                        .replace('4 = ["april", "apr"]', '4 = ["abril", "March"]'))
    with pytest.raises(ContentError, match=r"locales: two languages' words clash: "
                                           r"month_names: 'march' means both 3 and 4"):
        load_content(broken)


@pytest.mark.parametrize(("file", "change", "message"), [
    ("calendar", ('7 = ["sunday", "sun"]', '8 = ["sunday", "sun"]'), "day_names.7: missing"),
    ("calendar", ('5 = ["may"]\n', ""), "month_names.5: missing"),
    ("calendar", ('1 = ["monday", "mon"]', '1 = ["monday", "mon"]\n0 = ["x"]'),
     "day_names.0: not between 1 and 7"),
    ("calendar", ("ahead = ", 'ahed = ["in"]\nahead = '), "dates.ahed: Extra inputs"),
    ("calendar", ('fillers = ["this"', 'fillers = ["this week"'),
     "dates.fillers: 'this week' is not one word"),
    ("calendar", ('next = ["next"', 'next = ["next one"'),
     "dates.next: 'next one' is not one word"),
    ("calendar", ('1 = ["m"]', '1 = ["m", "w"]'), "days.letters: 'w' means both 1 and 3"),
    ("calendar", ('am = ["am"]', 'am = ["a.m."]'), "times.am: 'a.m.' is not letters only"),
    ("calendar", ('"00:00" = [', '"24:60" = ['), "times.named.24:60: not a time"),
    ("places", ('"Europe/Dublin" = ["cork"', '"Europe/Dublin" = ["porto", "cork"'),
     "zones: 'porto' means both Europe/Dublin and Europe/Lisbon"),
    ("places", ("lead_ins = ", "lead_in = "), "lead_ins: Field required"),
])
def test_bad_calendar_or_places_words_name_the_file_and_the_field(
        broken: Path, file: str, change: tuple[str, str], message: str) -> None:
    path = broken / "locales" / "en" / f"{file}.toml"
    text = path.read_text()
    assert change[0] in text
    path.write_text(text.replace(*change, 1))
    with pytest.raises(ContentError) as error:
        load_content(broken)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
