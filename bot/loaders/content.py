"""Load and validate content/: a bad file stops start-up with the file and field named."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.domain.catalog import Catalog, Country, CrisisLine, ExerciseDef
from bot.domain.understanding.typing_help import normalise
from bot.loaders.answers import check_rules, load_answers, load_place_words
from bot.loaders.calendar import load_calendar
from bot.loaders.files import ContentError, load, read_toml
from bot.loaders.locales import check_shape, check_texts, text_file
from bot.loaders.texts import Locales, Texts
from bot.loaders.triage import load_triage
from content import CONTENT_DIR

__all__ = ["Content", "ContentError", "load_content"]


@dataclass(frozen=True)
class Content:
    """The validated program (for the domain) and the strings of every language."""

    catalog: Catalog
    locales: Locales
    source: str


class _Program(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    source: str
    fallback_emergency: str
    safety_rules: tuple[str, ...]
    pain_places: tuple[str, ...]
    exercises: tuple[ExerciseDef, ...]


class _Countries(BaseModel):
    model_config = ConfigDict(extra="forbid")
    common: tuple[str, ...]
    numbers: dict[str, str]
    crisis: dict[str, CrisisLine] = {}


class _CountryText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    aliases: tuple[str, ...] = ()


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Nested TOML tables to dotted keys: {'a': {'b': 'x'}} -> {'a.b': 'x'}."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise ContentError(f"{name}: expected text, found {type(value).__name__}")
    return flat


def _load_language(folder: Path, program: _Program,
                   codes: set[str]) -> tuple[Texts, dict[str, Any]]:
    strings = flatten(read_toml(folder / "strings.toml"))
    exercises_file = folder / "exercises.toml"
    strings.update(flatten(read_toml(exercises_file), "exercise."))
    # The words of the visit export (PDF, chart, calendar entry), kept apart from the chat's.
    strings.update(flatten(read_toml(folder / "export.toml"), "export."))
    countries_file = folder / "countries.toml"
    countries: dict[str, _CountryText] = load(dict[str, _CountryText], countries_file)
    for code, text in countries.items():
        strings[f"country.{code}"] = text.name
    for code in sorted(codes - set(countries)):
        raise ContentError(f"{countries_file}: {code}: no name for this country")
    for exercise in program.exercises:
        needed = ["name", "position", *(f"steps.{s.id}" for s in exercise.steps)]
        needed += [f"sides.{side}" for side in exercise.sides]
        for part in needed:
            key = f"sides.{part[6:]}" if part.startswith("sides.") else f"{exercise.id}.{part}"
            if f"exercise.{key}" not in strings:
                raise ContentError(f"{exercises_file}: {key}: missing text")
    words = read_toml(folder / "words.toml")
    places = words.pop("pain_places", {})
    words["pain_places"] = load_place_words(places, program.pain_places, folder / "words.toml")
    return Texts(folder.name, strings), {"countries": countries, "words": words}


def load_content(root: Path = CONTENT_DIR, default_language: str = "en") -> Content:
    """Read content/ and return the validated catalog and strings, or raise ContentError."""
    program: _Program = load(_Program, root / "program.toml")
    countries: _Countries = load(_Countries, root / "countries.toml")
    for code in countries.common:
        if code not in countries.numbers:
            raise ContentError(f"{root / 'countries.toml'}: common: {code} has no number")
    for code in sorted(set(countries.crisis) - set(countries.numbers)):
        raise ContentError(f"{root / 'countries.toml'}: crisis.{code}: not a listed country")
    languages: dict[str, Texts] = {}
    names: dict[str, list[str]] = {code: [] for code in countries.numbers}
    words: dict[str, set[str]] = {}
    numbers: dict[str, int] = {}
    place_words: dict[str, list[tuple[str, ...]]] = {}
    folders = sorted(p for p in (root / "locales").iterdir() if p.is_dir())
    answers, answer_strings = load_answers(root, folders)
    for folder in folders:
        texts, extra = _load_language(folder, program, set(countries.numbers))
        texts = Texts(texts.language, {**texts.strings, **answer_strings[folder.name]})
        languages[texts.language] = texts
        for code, text in extra["countries"].items():
            names.setdefault(code, []).extend([text.name, *text.aliases])
        for group, entries in extra["words"].items():
            if group == "numbers":
                numbers.update({str(k): int(v) for k, v in entries.items()})
            elif group == "pain_places":
                for place, phrases in entries.items():
                    place_words.setdefault(place, []).extend(phrases)
            else:
                words.setdefault(group, set()).update(str(e) for e in entries)
    triage = load_triage(root)
    check_rules(answers, (rule.id for rule in triage.catalogue.rules), root)
    calendar = load_calendar(root)
    if default_language not in languages:
        raise ContentError(f"{root / 'locales'}: no folder for the default language")
    for language, texts in languages.items():
        folder = root / "locales" / language
        check_texts(languages[default_language], texts, folder)
        check_shape(root / "locales" / default_language, folder)
        needed = [f"safety.{rule}" for rule in program.safety_rules]
        needed += [f"session.place_{place}" for place in program.pain_places]
        needed += [f"triage.sign.{rule.id}" for rule in triage.catalogue.rules]
        for key in needed:
            if key not in texts.strings:
                raise ContentError(f"{folder / text_file(key)}: {key}: missing")
    catalog = Catalog(
        exercises=program.exercises,
        countries=tuple(Country(c, n, tuple(names[c]), countries.crisis.get(c))
                        for c, n in countries.numbers.items()),
        common_countries=countries.common,
        fallback_emergency=program.fallback_emergency,
        safety_rules=program.safety_rules,
        pain_places=program.pain_places,
        triage=triage,
        words={g: frozenset(normalise(w) for w in ws) for g, ws in words.items()},
        numbers=numbers,
        dates=calendar.dates,
        days=calendar.days,
        times=calendar.times,
        places=calendar.places,
        answers=answers,
        pain_place_words={place: tuple(phrases) for place, phrases in place_words.items()},
        languages={code: texts.strings["language.name"] for code, texts in languages.items()},
    )
    return Content(catalog, Locales(languages, default_language), program.source)
