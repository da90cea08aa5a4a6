"""The shipped Spanish content loads and is understood; a Spanish file missing a key, a field
or a placeholder of the English one stops the start, naming the file and the field."""

from __future__ import annotations

import shutil
from datetime import date, time
from pathlib import Path

import pytest

from bot.domain.reminders.schedule import find_zone, parse_days, parse_hours
from bot.domain.understanding.dates import parse_date, read_date
from bot.domain.understanding.days_and_times import parse_time
from bot.domain.understanding.typing_help import find_country, read_number, read_rating
from bot.loaders.content import Content, ContentError, load_content
from bot.loaders.triage import load_lexicon, load_triage
from content import CONTENT_DIR

SPANISH = CONTENT_DIR / "locales" / "es"


@pytest.fixture(scope="module")
def shipped() -> Content:
    return load_content()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of content/ to break; the shipped files are never touched."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def test_the_shipped_spanish_strings_load_with_every_key_of_the_english(
        shipped: Content) -> None:
    locales = shipped.locales
    assert sorted(locales.by_language) == ["en", "es"]
    english, spanish = locales.texts("en").strings, locales.texts("es").strings
    assert set(english) <= set(spanish)
    assert locales.pick("es-MX") == "es" and locales.pick("es") == "es"
    assert locales.pick("en-GB") == "en"
    assert spanish["onboarding.btn_agree"] == "✅ Entendido"
    assert spanish["exercise.cat_camel.name"] == "Gato y camello"
    assert spanish["export.weekday.3"] == "miércoles"
    assert spanish["country.MX"] == "🇲🇽 México"
    assert "Drugs.com" in spanish["common.about"] and "Merative" in spanish["common.about"]


def test_spanish_typed_answers_are_understood(shipped: Content) -> None:
    catalog = shipped.catalog
    assert all(catalog.is_word("agree", word) for word in ("si", "vale", "dale", "claro", "ok"))
    assert catalog.is_word("decline", "nop") and catalog.is_word("no", "no")
    out_of = catalog.words["out_of"]
    assert read_rating("un 4", catalog.numbers, out_of) == 4  # "un" is an article, not 1
    assert read_rating("como un seis", catalog.numbers, out_of) == 6
    assert read_rating("7 sobre 10", catalog.numbers, out_of) == 7
    assert read_number("quince", catalog.numbers) == 15
    countries = {name: find_country(name, catalog.countries)
                 for name in ("México", "Mexico", "EE. UU.", "Estados Unidos", "Espana", "Perú",
                              "Peru", "República Dominicana")}
    assert {name: c.code if c else None for name, c in countries.items()} == {
        "México": "MX", "Mexico": "MX", "EE. UU.": "US", "Estados Unidos": "US", "Espana": "ES",
        "Perú": "PE", "Peru": "PE", "República Dominicana": "DO"}
    assert catalog.emergency_number("PE") == "106" and catalog.emergency_number("EC") == "911"
    monday = date(2026, 12, 7)
    assert parse_date("mañana", monday, catalog.dates) == date(2026, 12, 8)
    assert parse_date("pasado mañana", monday, catalog.dates) == date(2026, 12, 9)
    assert parse_date("15 de marzo", monday, catalog.dates) == date(2027, 3, 15)
    assert parse_date("dentro de 3 días", monday, catalog.dates) == date(2026, 12, 10)
    # Said on a Monday, "the coming Tuesday" may be tomorrow or next week: both are offered.
    assert read_date("el martes que viene", monday, catalog.dates) == (
        date(2026, 12, 8), date(2026, 12, 15))
    assert parse_days("lunes a viernes", catalog.days) == (0, 1, 2, 3, 4)
    assert parse_days("entre semana", catalog.days) == (0, 1, 2, 3, 4)
    assert parse_days("todos los días excepto el domingo", catalog.days) == (0, 1, 2, 3, 4, 5)
    assert parse_days("fin de semana", catalog.days) == (5, 6)
    assert parse_time("a las 19", catalog.times) == time(19)
    assert parse_time("mediodía", catalog.times) == time(12)
    assert parse_hours("de 22 a 7", catalog.times) == (time(22), time(7))
    assert find_zone("Ciudad de México", catalog.places) == "America/Mexico_City"
    assert find_zone("Bogotá", catalog.places) == "America/Bogota"
    assert find_zone("vivo en Buenos Aires", catalog.places) == "America/Argentina/Buenos_Aires"


def test_spanish_triage_words_decide_now_that_the_spanish_corpus_meets_the_bars() -> None:
    lexicon = load_lexicon(SPANISH / "triage.toml")
    assert lexicon.language == "es" and lexicon.concepts["chest"][0] == "pecho"
    triage = load_triage()
    assert sorted(triage.readers) == ["en", "es"]
    decision = triage.decide("me duele mucho el pecho y no puedo respirar")
    assert (decision.level.label, decision.language, decision.unreadable) == (
        "emergency", "es", None)
    # Held back, Spanish is again a language the bot cannot read, with the number.
    english = load_triage(deciding={"en"})
    assert english.decide("me duele mucho el pecho y no puedo respirar").unreadable == "es"


def _break(folder: Path, file: str, old: str, new: str) -> Path:
    path = folder / "locales" / "es" / file
    text = path.read_text()
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("strings.toml", 'welcome_back = "Qué bueno verte de nuevo. Seguimos donde lo dejamos."\n',
     "", "common.welcome_back: missing (present in en)"),
    ("strings.toml", 'fever = "Fiebre"\n', "", "triage.sign.fever: missing"),
    ("exercises.toml", 'lower = "Baja despacio el brazo y la pierna."\n', "",
     "bird_dog.steps.lower: missing"),
    ("export.toml", 'footer = "Página {page} de {pages}"\n', "", "footer: missing"),
    ("countries.toml", 'CO = { name = "🇨🇴 Colombia", aliases = ["Colombia"] }\n', "",
     "CO: no name for this country"),
    ("answers.toml", 'answer = "Despacio y con suavidad', '# answer = "Despacio y con suavidad',
     "topics.speed.answer: Field required"),
    ("words.toml", "unsure = [", "unsur = [", "unsure: missing (present in en)"),
    ("words.toml", 'chest = ["pecho"', 'thorax = ["pecho"',
     "pain_places.thorax: not one of program.toml's pain_places"),
    ("words.toml", 'chest = ["pecho", "costilla*", "esternon", "torax", "caja toracica"]\n', "",
     "pain_places.chest: missing (present in en)"),
    ("calendar.toml", "next = [", "nxt = [", "dates.nxt: Extra inputs"),
    ("calendar.toml", 'next = ["proximo", "próximo", "proxima", "próxima", "siguiente", '
     '"viene"]\n', "", "dates.next: missing (present in en)"),
    ("calendar.toml", '7 = ["domingo", "dom"]\n', "", "day_names.7: missing"),
    ("places.toml", "lead_ins = [", "# lead_ins = [", "lead_ins: Field required"),
    ("triage.toml", "mention_after = [", "mention_aftr = [", "cues.mention_after: missing"),
    ("triage.toml", "pets = [", "pet = [", "words.pets: missing"),
    ("triage.toml", "night_sweats = [", "night_sweat = [",
     "the rules name concepts this language lacks: ['night_sweats']"),
    ("triage.toml", "usual_pain = [", "usual_pains = [",
     "concepts.usual_pain: missing (present in en)"),
])
def test_a_spanish_file_missing_a_key_is_refused_naming_file_and_field(
        copy: Path, file: str, old: str, new: str, message: str) -> None:
    path = _break(copy, file, old, new)
    with pytest.raises(ContentError) as error:
        load_content(copy)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


@pytest.mark.parametrize(("file", "old", "new", "field"), [
    ("strings.toml", "/{command}.", "/{comando}.", "common.unknown_command"),
    ("strings.toml", 'rating_saved = "Guardado: {rating}/10."', 'rating_saved = "Guardado."',
     "session.rating_saved"),
    ("strings.toml", "{count}", "{number}", "onboarding.btn_all_exercises"),
    ("export.toml", "Página {page} de {pages}", "Página {page}", "footer"),
    ("export.toml", '"{weekday}, {day} de {month} de {year}"', '"{weekday}, {day} de {month}"',
     "date.long"),
    ("exercises.toml", 'name = "Gato y camello"', 'name = "Gato y camello {count}"',
     "cat_camel.name"),
    ("answers.toml", "Usa una colchoneta", "Usa {mat}", "topics.firm_surface.answer"),
])
def test_a_spanish_text_with_other_placeholders_is_refused_naming_file_and_field(
        copy: Path, file: str, old: str, new: str, field: str) -> None:
    path = _break(copy, file, old, new)
    with pytest.raises(ContentError) as error:
        load_content(copy)
    assert str(error.value).startswith(f"{path}: {field}: placeholders differ from en")
