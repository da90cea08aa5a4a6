"""Every language's content files held against the default language's: the same keys (string
keys, word groups, calendar fields, concepts and cues, but for a cue the engine reads as
empty when missing) and, in what the bot says, the same {placeholders}. A gap stops the
start with the file and the field named."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.domain.triage.lexicon import OPTIONAL_CUES
from bot.loaders.files import ContentError, read_toml
from bot.loaders.texts import Texts, placeholders

# Where each merged string key comes from (content.py prefixes all but strings.toml's).
_TEXT_FILES = (("exercise.", "exercises.toml"), ("export.", "export.toml"),
               ("country.", "countries.toml"), ("answers.", "answers.toml"))
# Files whose shape is compared, each with the tables whose keys are the language's own
# words or numbered data (number words, contractions, relative days, time zones), not names.
SHAPED: Mapping[str, tuple[str, ...]] = {
    "words.toml": ("numbers",),
    "calendar.toml": ("day_names", "month_names", "dates.relative", "dates.units",
                      "dates.counts", "days.letters", "times.named", "times.fractions",
                      "times.hour_names", "times.periods"),
    "places.toml": ("zones",),
    "triage.toml": ("spellings", "emoji"),
}
# Fields a language may lack until its own corpus needs them (the engine reads them as empty).
MAY_LACK: Mapping[str, tuple[str, ...]] = {
    "triage.toml": tuple(f"cues.{cue}" for cue in OPTIONAL_CUES)}


def text_file(key: str) -> str:
    """The file of a language folder a merged string key is written in."""
    return next((file for prefix, file in _TEXT_FILES if key.startswith(prefix)),
                "strings.toml")


def _field(key: str) -> str:
    """The key as its file spells it: 'exercise.bird_dog.name' is 'bird_dog.name' there,
    'answers.speed' is 'topics.speed.answer', 'country.MX' is 'MX.name'."""
    if key.startswith("answers.source."):
        return "sources." + key.removeprefix("answers.source.")
    if key.startswith("answers."):
        return f"topics.{key.removeprefix('answers.')}.answer"
    if key.startswith("country."):
        return f"{key.removeprefix('country.')}.name"
    return key.removeprefix("exercise.").removeprefix("export.")


def check_texts(reference: Texts, other: Texts, folder: Path) -> None:
    """Every string of the reference language in the other, with the same placeholders."""
    for key, template in reference.strings.items():
        where = f"{folder / text_file(key)}: {_field(key)}"
        if key not in other.strings:
            raise ContentError(f"{where}: missing (present in {reference.language})")
        if placeholders(other.strings[key]) != placeholders(template):
            raise ContentError(f"{where}: placeholders differ from {reference.language} "
                               f"({', '.join(sorted(placeholders(template))) or 'none'})")


def _same_shape(reference: Mapping[str, Any], other: Mapping[str, Any], free: tuple[str, ...],
                prefix: str = "", may_lack: tuple[str, ...] = ()) -> str | None:
    """The first field of the reference missing from the other, or None."""
    for key, value in reference.items():
        name = f"{prefix}{key}"
        if key not in other:
            if name in may_lack:
                continue
            return f"{name}: missing"
        if isinstance(value, Mapping):
            if not isinstance(other[key], Mapping):
                return f"{name}: expected a table"
            if name not in free:
                gap = _same_shape(value, other[key], free, f"{name}.", may_lack)
                if gap:
                    return gap
    return None


def check_shape(reference: Path, folder: Path) -> None:
    """The word files of a language folder hold every field the reference folder's hold."""
    for file, free in SHAPED.items():
        gap = _same_shape(read_toml(reference / file), read_toml(folder / file), free,
                          may_lack=MAY_LACK.get(file, ()))
        if gap:
            raise ContentError(f"{folder / file}: {gap} (present in {reference.name})")
