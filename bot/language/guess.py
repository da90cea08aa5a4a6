"""Which language a message is written in: lingua, made for short and mixed text."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Languages people in the countries the bot serves are likely to write in. Low-accuracy
# mode with these preloaded takes about 60 MB and a fraction of a millisecond a message;
# the high-accuracy models took 650 MB and seconds to load (measured on this machine).
LANGUAGES = ("en", "es", "de", "fr", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "zh",
             "hi", "ja", "ko", "sv", "da", "nb", "fi", "el", "cs", "ro", "hu", "vi", "id",
             "tl", "he", "fa", "ur", "bn", "hr", "sr", "bg", "ms", "th", "sw", "yo", "ca",
             "so", "pa", "ta", "sk", "sl", "lt", "lv", "et", "ga", "cy", "af")


@cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                 for code in LANGUAGES]
    return (LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode()
            .with_preloaded_language_models().build())


class LinguaGuesser:
    """The LanguageGuesser port."""

    def __init__(self) -> None:
        _detector()  # load the models now (once per process), not on someone's message

    def guess(self, text: str) -> tuple[str, float] | None:
        """(ISO 639-1 code, confidence) of the most likely language, or None."""
        values = _detector().compute_language_confidence_values(text)
        if not values:
            return None
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), float(top.value)

    def confidences(self, text: str) -> Mapping[str, float]:
        """Every language's confidence, by ISO 639-1 code."""
        return {value.language.iso_code_639_1.name.lower(): float(value.value)
                for value in _detector().compute_language_confidence_values(text)}
