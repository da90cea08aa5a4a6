"""The triage content (rules, each language's words), its checks, `backcoach triage`, and
that no word list of any language is written in the domain."""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.triage_cli import run
from bot.domain.appointments.flow import KINDS
from bot.domain.engine.flows import FLOWS
from bot.domain.reminders.plan import DAILY_KINDS
from bot.domain.routing.commands import COMMANDS, OPEN_BEFORE_CONSENT
from bot.domain.triage import About, Catalogue, Level, Lexicon, Rule
from bot.domain.triage.lexicon import parse_term, plain
from bot.loaders.content import Content, load_content
from bot.loaders.files import ContentError, read_toml
from bot.loaders.triage import load_catalogue, load_lexicon, load_triage
from content import CONTENT_DIR

RULE = """
[[rules]]
id = "x"
family = "test"
level = "urgent"
source = "a source"
when = ["numb + arm"]
"""


def content(tmp_path: Path, rules: str) -> Path:
    """A content folder with the shipped English words and these rules."""
    (tmp_path / "locales" / "en").mkdir(parents=True)
    shutil.copy(CONTENT_DIR / "locales" / "en" / "triage.toml",
                tmp_path / "locales" / "en" / "triage.toml")
    (tmp_path / "triage.toml").write_text(rules)
    return tmp_path


def test_a_minimal_catalogue_loads_and_decides(tmp_path: Path) -> None:
    triage = load_triage(content(tmp_path, 'version = "1"\n' + RULE))
    assert triage.catalogue.rules[0].level is Level.URGENT
    assert triage.decide("my arm is numb").rule == "x"
    assert triage.decide("my leg is numb").rule is None


@pytest.mark.parametrize(("text", "message"), [
    ('version = "1"\n' + RULE.replace('"urgent"', '"critical"'),
     "rules.0.level: 'critical' is not one of call_doctor, urgent, emergency (rule x)"),
    ('version = "1"\n' + RULE.replace('source = "a source"\n', ""), "rules.0.source: Field"),
    ('version = "1"\n' + RULE.replace("when", "wen"), "rules.0.wen: unknown field"),
    ('version = "1"\n' + RULE.replace('"numb + arm"', '"numb + "'),
     "rule x: expression 'numb + '"),
    ('version = "1"\n' + RULE + RULE, "rule ids used twice: ['x']"),
    (RULE, "version: Field required"),
    ('version = "1"\nextra = 2\n' + RULE, "extra: unknown field"),
    ("version = ", "not valid TOML"),
    ('version = "1"\n' + RULE.replace('level = "urgent"', 'level = "urgent"\nresolved = '
                                      '"emergency"'), "resolved cannot be above"),
    ('version = "1"\n' + RULE.replace('level = "urgent"', 'level = "urgent"\nresponse = "pray"'),
     "response must be one of"),
])
def test_a_bad_catalogue_names_the_file_and_the_field(tmp_path: Path, text: str,
                                                      message: str) -> None:
    path = tmp_path / "triage.toml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_rules_naming_a_concept_a_language_lacks_stop_the_start(tmp_path: Path) -> None:
    folder = content(tmp_path, 'version = "1"\n' + RULE.replace("numb + arm", "numb + wings"))
    with pytest.raises(ContentError, match=r"en: the rules name concepts this language lacks: "
                                           r"\['wings'\]"):
        load_triage(folder)


@pytest.mark.parametrize(("change", "message"), [
    (('[cues]\n', '[cues]\nwhimsy = ["x"]\n'), "cues.whimsy: unknown cue"),
    (('chest = [', 'chest = ["@nowhere", '), "concepts.chest: '@nowhere' names unknown"),
    (('chest = [', 'chest = ["chest/", '), "concepts.chest: term 'chest/'"),
    (('language = "en"', 'language = "xx"'), "'xx' in the folder of 'en'"),
    (('[words]\n', '[words]\nwhatever = ["a"]\n'), ""),
    (('chest = [', 'chest = ["@heart_loop", '), "names unknown"),
])
def test_a_bad_lexicon_names_the_file_and_the_field(tmp_path: Path, change: tuple[str, str],
                                                    message: str) -> None:
    folder = content(tmp_path, 'version = "1"\n' + RULE)
    path = folder / "locales" / "en" / "triage.toml"
    path.write_text(path.read_text().replace(*change, 1))
    if not message:
        load_lexicon(path)  # an extra word group is harmless
        return
    with pytest.raises(ContentError) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_concepts_that_name_each_other_in_a_circle_are_refused() -> None:
    lexicon = load_lexicon(CONTENT_DIR / "locales" / "en" / "triage.toml")
    concepts = {**lexicon.concepts, "a": ("@b",), "b": ("@a",)}
    with pytest.raises(ValueError, match="circle"):
        Lexicon(lexicon.language, lexicon.language_name, lexicon.words, lexicon.spellings,
                lexicon.emoji, concepts, lexicon.cues)


def test_rules_check_themselves() -> None:
    fine = Rule("x", "f", Level.URGENT, "a source", ("numb",))
    with pytest.raises(ValueError, match="twice"):
        Catalogue("1", (fine, fine))
    with pytest.raises(ValueError, match="needs when"):
        Rule("x", "f", Level.URGENT, "a source")
    with pytest.raises(ValueError, match="all_of needs two groups"):
        Rule("x", "f", Level.URGENT, "a source", all_of=(("fever",),))
    with pytest.raises(ValueError, match="at_least must be"):
        Rule("x", "f", Level.URGENT, "a source", at_least=3, of=("a", "b"))
    with pytest.raises(ValueError, match="level"):
        Rule("x", "f", Level.NONE, "a source", ("numb",))
    with pytest.raises(ValueError, match="source"):
        Rule("x", "f", Level.URGENT, " ", ("numb",))
    with pytest.raises(ValueError, match="version"):
        Catalogue("", (fine,))


def test_terms_are_read_as_words_prefixes_references_and_parts() -> None:
    assert parse_term("Pins-and needles") == ((frozenset({"pins"}), frozenset({"and"}),
                                              frozenset({"needles"})),)
    assert parse_term("@calf + swollen/puffy") == ((frozenset({"@calf"}),),
                                                   (frozenset({"swollen", "puffy"}),))
    assert parse_term("tingl*") == ((frozenset({"tingl*"}),),)
    with pytest.raises(ValueError, match="too short"):
        parse_term("ab*")


# Regular-expression syntax and {placeholders}, which name no word.
_SYNTAX = re.compile(r"\\[A-Za-z]|\(\?P?<\w+>|\(\?[:!=]|\{[^{}]*\}")
_LETTERS = re.compile(r"[^\W\d_]+")


def _word_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """(line, words) of each list written in the code: literal collections of two strings or
    more, strings split into words, and strings listing short phrases between | , ; : or
    line breaks (a regular expression's alternatives, a table in a string). Not the names
    of the code: a module's __all__, the values a Literal[...] type allows."""
    allowed = {id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)
               and isinstance(node.value, ast.Name) and node.value.id == "Literal"}
    allowed |= {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)}
    prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and id(node) not in allowed:
            items = [e.value for e in node.elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(items) >= 2:
                found.append((node.lineno, [w for item in items for w in plain(item).split()]))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "split" and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)):
            found.append((node.lineno, plain(node.func.value.value).split()))
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in prose):
            parts = re.split(r"[|,;:\n]", plain(_SYNTAX.sub(" ", node.value)))
            phrases = [_LETTERS.findall(part) for part in parts]
            phrases = [phrase for phrase in phrases if 1 <= len(phrase) <= 3]
            if len(phrases) >= 2:
                found.append((node.lineno, [w for phrase in phrases for w in phrase]))
    return found


def _leaves(value: object) -> Iterator[str]:
    """Every text in a TOML value, however deep in tables and arrays."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _leaves(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _leaves(inner)


def _typed_words(content: Content) -> set[str]:
    """Every word people type that content lists, in every language: the triage's terms
    and word groups, and all of words.toml (with the number words), calendar.toml,
    places.toml and the country names and aliases."""
    typed: set[str] = set(content.catalog.numbers)
    for folder in (CONTENT_DIR / "locales").iterdir():
        lexicon = load_lexicon(folder / "triage.toml")
        typed |= lexicon.literal_words() | {w for g in lexicon.words.values() for w in g}
        for name in ("words", "calendar", "places", "countries"):
            typed.update(_leaves(read_toml(folder / f"{name}.toml")))
    return {word for text in typed for word in plain(text).split()}


def _names_in_code(content: Content) -> set[str]:
    """Identifiers that happen to be words: word-group, concept and cue names, commands,
    flow and state names, event and reminder kinds, where a question came from, time zone
    areas."""
    english = content.locales.texts("en").strings
    names: set[str] = {*content.catalog.words, "numbers", *COMMANDS, *OPEN_BEFORE_CONSENT}
    for folder in (CONTENT_DIR / "locales").iterdir():
        lexicon = load_lexicon(folder / "triage.toml")
        names |= {*lexicon.words, *lexicon.cues, *lexicon.concepts}
    names |= {reading.value for reading in About}
    names |= {*FLOWS, *(state.value for flow in FLOWS.values() for state in flow.states)}
    names |= {*KINDS, *DAILY_KINDS}
    # The areas of the time zone database ('Europe/Lisbon'), as the places' zones name them.
    names |= {plain(zone.split("/")[0]) for zone in content.catalog.places.zones}
    # Keys of strings named after what the code passes: an unreadable update's kind, a
    # command in the menu, where a question came from ("from=message", "during=...").
    for key in english:
        section, _, name = key.partition(".")
        if section in ("unreadable", "menu"):
            names.add(name)
        if key.startswith("questions.ctx_"):
            names.add(name.removeprefix("ctx_").removeprefix("from_"))
    return names


def _listed_words(source: str, words: set[str]) -> list[tuple[int, list[str]]]:
    """(line, words) for each list in the source naming two typed words or more."""
    found = []
    for line, written in _word_lists(ast.parse(source)):
        listed = sorted(set(written) & words)
        if len(listed) >= 2:
            found.append((line, listed))
    return found


def test_no_word_list_of_any_language_is_written_in_the_domain() -> None:
    """Every word the domain reads lives in content/locales: a list of words people type
    (triage terms, typed answers, dates, days, times, places, countries) written in Python
    anywhere under bot/domain/ fails this test."""
    content = load_content()
    calendar = {"monday", "mon", "tuesday", "january", "tomorrow", "noon", "weekdays"}
    words = _typed_words(content) - _names_in_code(content)
    assert calendar <= words, "identifiers must not hide the words of dates and days"
    # The test itself: these are caught, however they are written.
    for written in ('DAY_NAMES = ("monday", "tuesday", "wednesday")',
                    'SHORT = ["Mon", "Wed"]', 'MONTHS = "jan feb mar".split()',
                    'PLACES = {"manchester", "Birmingham"}', 'WHEN = ("tomorrow", "noon")',
                    'DAYS = re.compile(r"\\b(?:every ?day|daily)\\b")',
                    'HALF = r"(?P<half>am|pm)?"', 'LEAD = "^(?:i m |i am |i live )?in "',
                    'ALIASES = """\nEurope/London: manchester, birmingham\n"""'):
        assert _listed_words(written, words), written
    domain = Path(__file__).parents[2] / "bot" / "domain"
    for path in sorted(domain.rglob("*.py")):
        for line, listed in _listed_words(path.read_text(), words):
            raise AssertionError(f"{path.relative_to(domain)}:{line} lists words {listed}")


# ------------------------------------------------------------------ backcoach triage

def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_cli_describes_one_message() -> None:
    code, out, _ = cli("my husband can't breathe")
    assert code == 0
    assert "level:    emergency" in out and "rule:     breathing (emergency" in out
    assert "someone else's sign" in out and "catalogue version: 2026-" in out
    code, out, _ = cli("cant", "move")
    assert "level:    emergency" in out and "severe_pain_cannot_move" in out


def test_the_cli_prints_json() -> None:
    code, out, _ = cli("--json", "not sure if it's numbness")
    assert code == 0
    assert json.loads(out) == {"level": "urgent", "rule": "numbness",
                               "family": "progressive_neuro", "matched": "numbness",
                               "needs_confirmation": True, "about": "self",
                               "response": "medical", "language": "en", "unreadable": None}


def test_the_cli_reads_one_message_per_line_from_stdin() -> None:
    code, out, _ = cli(stdin="chest pain\nthanks!\n\nno fever\nquiero morirme, no puedo más\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 5
    assert [line["level"] for line in lines] == ["emergency", "none", "none", "none",
                                                 "emergency"]
    assert [line["about"] for line in lines] == [
        "self", "nothing", "nothing", "negated", "self"]
    assert (lines[4]["language"], lines[4]["response"], lines[4]["unreadable"]) == (
        "es", "crisis", None)  # Spanish is read in Spanish


def test_the_cli_explains_what_it_saw() -> None:
    code, out, _ = cli("--explain", "the tingling in my fingers went away")
    assert code == 0
    assert "words:    the tingling=tingle" in out
    assert "  numb: tingling" in out and "  resolved: went away" in out
    assert "arm_numb_weak: resolved -> none" in out and "level:    none" in out


def test_the_cli_prints_the_catalogue_for_review() -> None:
    code, out, _ = cli("--catalogue", "--concepts")
    assert code == 0
    assert out.startswith("Triage catalogue 2026-")
    assert "| id | level | family | needs (concepts) | when resolved | source |" in out
    assert "| suicidal_thoughts | emergency (crisis answer) | self_harm | suicidal |" in out
    assert "Concepts in English (en):" in out and "- chest: chest;" in out


def test_the_cli_reports_bad_content(tmp_path: Path) -> None:
    code, out, err = cli("--rules", str(tmp_path / "nope.toml"), "chest pain")
    assert code == 2 and out == ""
    assert "nope.toml: file is missing" in err
