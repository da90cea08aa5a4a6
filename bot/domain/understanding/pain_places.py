"""Where it hurts, read from what someone types ("yes, in my neck", "left shoulder blade")."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import Context
from bot.domain.understanding.phrases import find_phrase, words_of

PlaceWords = Mapping[str, tuple[tuple[str, ...], ...]]


def read_place(text: str, words: PlaceWords) -> str | None:
    """The pain place a message names, or None.

    The longest phrase found wins ("lower back" over "back", "shoulder blade" over
    "shoulder"), then the one named first, then the first place in the content.
    """
    typed = words_of(text)
    best: tuple[int, int, int] | None = None
    found: str | None = None
    for order, (place, phrases) in enumerate(words.items()):
        for phrase in phrases:
            start = find_phrase(phrase, typed)
            if start is None:
                continue
            rank = (len(phrase), -start, -order)
            if best is None or rank > best:
                best, found = rank, place
    return found


def typed_place(ctx: Context, event: Text | Press) -> str:
    """The place a button names, or one read from typed words; "other" when none is."""
    if isinstance(event, Press):
        chosen: str | None = event.arg
    else:
        chosen = read_place(event.text, ctx.catalog.pain_place_words) if isinstance(
            event, Text) else None
    return chosen if chosen in ctx.catalog.pain_places else "other"
