"""The triage content (rules, each language's words), its checks, and `backcoach triage`."""

from __future__ import annotations

import ast
import io
import json
import shutil
from pathlib import Path

import pytest

from bot.content_files import ContentError
from bot.domain.triage import About, Catalogue, Level, Lexicon, Rule
from bot.domain.triage.lexicon import parse_term
from bot.triage_cli import run
from bot.triage_loader import load_catalogue, load_lexicon, load_triage
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


def _word_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """Literal collections of two strings or more, and strings split into words."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = [e.value for e in node.elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(items) >= 2:
                found.append((node.lineno, items))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "split" and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)):
            found.append((node.lineno, node.func.value.value.split()))
    return found


def test_no_word_list_of_any_language_is_written_in_the_triage() -> None:
    """Every word the triage reads lives in content/locales: a list of lexicon words
    written in Python in the engine or the flows that use it fails this test."""
    lexicon = load_lexicon(CONTENT_DIR / "locales" / "en" / "triage.toml")
    # Identifiers that happen to be words: group, cue and concept names, readings.
    names = {*lexicon.words, *lexicon.cues, *lexicon.concepts, *(a.value for a in About)}
    words = (lexicon.literal_words() | {"monday", "january", "tomorrow"}) - names
    domain = Path(__file__).parents[2] / "bot" / "domain"
    paths = [*(domain / "triage").glob("*.py"), domain / "escalation.py",
             domain / "triage_flow.py"]
    for path in paths:
        for line, items in _word_lists(ast.parse(path.read_text())):
            listed = {w for item in items for w in item.split() if w in words}
            assert len(listed) < 2, f"{path.name}:{line} lists words {sorted(listed)}"


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
    assert [line["level"] for line in lines] == ["emergency", "none", "none", "none", "none"]
    assert [line["about"] for line in lines] == [
        "self", "nothing", "nothing", "negated", "unreadable_language"]
    assert lines[4]["unreadable"] == "es"


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
