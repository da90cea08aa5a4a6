"""The term syntax of the triage words: alternatives of several words (' | '), bracketed
one-word lists, and the load-time refusal of the ambiguous 'a/b c' (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.triage import Triage
from bot.domain.triage.lexicon import MAX_EXPANSIONS, parse_term, parse_terms
from bot.loaders.files import ContentError
from bot.loaders.triage import load_lexicon, load_triage
from content import CONTENT_DIR


def words(*choices: str) -> frozenset[str]:
    """One slot of a parsed term."""
    return frozenset(choices)


def test_alternatives_of_several_words_stand_for_one_term_each() -> None:
    assert parse_terms("vista + borrosa/nublada | se va | se fue") == (
        ((words("vista"),), (words("borrosa", "nublada"),)),
        ((words("vista"),), (words("se"), words("va"))),
        ((words("vista"),), (words("se"), words("fue"))),
    )


def test_alternatives_in_two_parts_stand_for_every_pairing() -> None:
    terms = parse_terms("chest | rib cage + pain | tight band")
    assert len(terms) == 4
    assert ((words("rib"), words("cage")), (words("tight"), words("band"))) in terms


def test_a_bracketed_list_is_one_place_among_other_words() -> None:
    assert parse_term("cannot (move/feel) my @limb") == (
        (words("cannot"), words("move", "feel"), words("my"), words("@limb")),)
    assert parse_term("(feel/felt) like + rubber") == (
        (words("feel", "felt"), words("like")), (words("rubber"),))


def test_a_list_that_is_its_whole_part_needs_no_brackets() -> None:
    assert parse_term("@calf + swollen/puffy") == ((words("@calf"),),
                                                   (words("swollen", "puffy"),))
    assert parse_terms("eyes + blurry | gone dark")[0] == ((words("eyes"),), (words("blurry"),))


def test_a_term_with_alternatives_is_no_single_term() -> None:
    with pytest.raises(ValueError, match="stands for 2 terms"):
        parse_term("eyes + blurry | dim")


@pytest.mark.parametrize("term", [
    "vista + borrosa/nublada/se va/se fue",  # "se va" was meant: read as "{borrosa, se} va"
    "@neck + nopuedo doblar/nopuedo mover",
    "palabras + raras/salen mal",
    "insides + ripped/coming apart",
    "feel/felt like",  # fine once bracketed: "(feel/felt) like"
    "went down on my bum/knees",
])
def test_an_unbracketed_list_next_to_other_words_is_refused(term: str) -> None:
    with pytest.raises(ValueError, match="is ambiguous") as caught:
        parse_terms(term)
    said = str(caught.value)
    assert repr(term) in said and "' | '" in said and "bracket" in said


@pytest.mark.parametrize(("term", "message"), [
    ("eyes + blurry |", "an empty part or alternative"),
    ("eyes + | dim", "an empty part or alternative"),
    ("eyes + blurry || dim", "an empty part or alternative"),
    ("cannot (move/feel my", "cannot read"),
    ("cannot () my", "cannot read"),
    ("(ab*/numb) leg", "too short a prefix"),
])
def test_a_malformed_alternative_or_bracket_is_refused(term: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_terms(term)


def test_a_term_standing_for_too_many_terms_is_refused() -> None:
    side = " | ".join(f"w{n}" for n in range(MAX_EXPANSIONS // 4 + 1))
    with pytest.raises(ValueError, match="split it"):
        parse_terms(f"{side} + x | y | z | v")


def test_the_lexicon_refuses_an_ambiguous_term_naming_its_concept(tmp_path: Path) -> None:
    path = tmp_path / "en" / "triage.toml"
    path.parent.mkdir()
    shutil.copy(CONTENT_DIR / "locales" / "en" / "triage.toml", path)
    path.write_text(path.read_text().replace("chest = [", 'chest = ["rib/cage area", ', 1))
    with pytest.raises(ContentError) as caught:
        load_lexicon(path)
    assert "concepts.chest: term 'rib/cage area'" in str(caught.value)
    assert "is ambiguous" in str(caught.value)


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


# Terms that read almost nothing while written "a/b c" for "a or b c" (issue 13), each by a
# phrase its author meant it for.
@pytest.mark.parametrize(("language", "text", "concept"), [
    ("es", "de repente la vista se me va", "vision_trouble"),
    ("es", "las palabras no me salen", "speech_trouble"),
    ("es", "tengo fiebre y no puedo girar el cuello", "stiff_neck"),
    ("es", "el pulso a mil", "palpitations"),
    ("es", "me dio dolor en otro sitio", "new_pain"),
    ("es", "la vision se fue unos segundos", "vision_loss"),
    ("en", "it feels like my insides are coming apart", "tear"),
    ("en", "a car drove into me on my bike", "major_trauma"),
])
def test_a_fixed_term_finds_the_phrase_it_was_written_for(
        triage: Triage, language: str, text: str, concept: str) -> None:
    assert triage.readers[language].read(text).found(concept), f"{concept} in {text!r}"
