"""The triage engine, its catalogue loader and `backcoach triage`, one behaviour at a time."""

from __future__ import annotations

import functools
import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content_loader import ContentError
from bot.domain.triage import Catalogue, Decision, Level, Rule, triage
from bot.domain.triage_text import MAX_CHARS, is_typo, parse_pattern, tokens
from bot.triage_cli import run
from bot.triage_loader import load_catalogue

ABOUTS = {"self", "someone_else", "hypothetical", "negated", "nothing"}


@pytest.fixture
def catalogue() -> Catalogue:
    return shipped()


@functools.cache
def shipped() -> Catalogue:
    return load_catalogue()


def decide(text: str) -> Decision:
    return triage(text, shipped())


# ------------------------------------------------------------------ levels and the catalogue

def test_levels_are_ordered_and_read_from_their_labels() -> None:
    assert Level.NONE < Level.CALL_DOCTOR < Level.URGENT < Level.EMERGENCY
    assert [level.label for level in Level] == ["none", "call_doctor", "urgent", "emergency"]
    assert Level("urgent") is Level.URGENT  # type: ignore[arg-type]  # how pydantic reads it
    with pytest.raises(ValueError):
        Level("critical")  # type: ignore[arg-type]


def test_the_shipped_catalogue_is_versioned_sourced_and_complete(catalogue: Catalogue) -> None:
    assert catalogue.version.startswith("2026-")
    ids = {rule.id for rule in catalogue.rules}
    assert len(ids) >= 20
    assert {"severe_pain_cannot_move", "pain_worse", "new_pain", "questions_worries",
            "chest_pain", "breathing", "cauda_equina", "fever", "minor_fall_fragile_bones"} <= ids
    assert {rule.level for rule in catalogue.rules} == {
        Level.CALL_DOCTOR, Level.URGENT, Level.EMERGENCY}
    assert all(len(rule.source) > 20 for rule in catalogue.rules)
    leaflet = [r.id for r in catalogue.rules if "Upper Back Exercises" in r.source]
    assert {"severe_pain_cannot_move", "pain_worse", "new_pain", "questions_worries"} <= set(
        leaflet)
    assert catalogue.rule("fever").level == Level.URGENT


def test_rules_and_catalogues_check_themselves() -> None:
    fine = Rule("x", Level.URGENT, "a source", ("numb",))
    with pytest.raises(ValueError, match="twice"):
        Catalogue("1", (fine, fine))
    with pytest.raises(ValueError, match="needs patterns"):
        Rule("x", Level.URGENT, "a source")
    with pytest.raises(ValueError, match="needs patterns"):
        Rule("x", Level.URGENT, "a source", all_of=(("fever",),))
    with pytest.raises(ValueError, match="rule x: pattern"):
        Rule("x", Level.URGENT, "a source", ("numb/ + arm",))
    with pytest.raises(ValueError, match="level"):
        Rule("x", Level.NONE, "a source", ("numb",))
    with pytest.raises(ValueError, match="source"):
        Rule("x", Level.URGENT, " ", ("numb",))
    with pytest.raises(ValueError, match="version"):
        Catalogue("", (fine,))


def test_patterns_are_read_like_messages() -> None:
    assert parse_pattern("can't move") == ((frozenset({"cannot"}), frozenset({"move"})),)
    assert parse_pattern("numb/tingl* + arm") == (
        (frozenset({"numb", "tingl*"}),), (frozenset({"arm"}),))


# ------------------------------------------------------------------ negation

@pytest.mark.parametrize("text", [
    "no numbness", "I don't have chest pain", "not numb", "without fever",
    "no fever or chills", "I do not have a fever", "my legs aren't numb", "zero numbness",
    "no numbness, tingling or weakness in my legs", "chest pain? no", "numbness: none",
])
def test_a_negated_sign_is_not_escalated(text: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (Level.NONE, "negated")
    assert decision.candidate > Level.NONE and decision.rule is not None


@pytest.mark.parametrize(("text", "rule"), [
    ("can't breathe", "breathing"), ("I can't feel my legs", "legs_or_walking"),
    ("cannot move", "severe_pain_cannot_move"), ("no fever and cannot breathe", "breathing"),
    ("no numbness and i cant move", "severe_pain_cannot_move"),
])
def test_cannot_is_a_symptom_not_a_negation(text: str, rule: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.rule, decision.about) == (Level.EMERGENCY, rule, "self")


@pytest.mark.parametrize(("text", "level", "rule"), [
    ("no fever but I can't breathe", Level.EMERGENCY, "breathing"),
    ("no chest pain, but both legs feel numb", Level.EMERGENCY, "legs_or_walking"),
    ("I don't have a fever however my arm is numb", Level.URGENT, "arm_numb_weak"),
    ("I have no fever, but I have the chills", Level.URGENT, "fever"),
    ("not dizzy. the pain wakes me up at night", Level.URGENT, "night_or_rest_pain"),
])
def test_negation_reaches_only_its_own_clause(text: str, level: Level, rule: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.rule, decision.about) == (level, rule, "self")


def test_cannot_do_something_without_a_sign_means_the_sign() -> None:
    assert decide("I can't do head rolls without feeling dizzy").rule == "dizziness"
    assert decide("I never had numbness before, now my arm is numb").level == Level.URGENT


# ------------------------------------------------------------------ uncertainty

@pytest.mark.parametrize(("text", "level"), [
    ("not sure if it's numbness", Level.URGENT), ("maybe a bit of tingling?", Level.URGENT),
    ("I think my legs feel weak", Level.EMERGENCY), ("dunno if its a lump", Level.URGENT),
    ("might be some pressure in my chest, not sure", Level.EMERGENCY),
])
def test_an_unsure_person_is_asked_first_never_dismissed(text: str, level: Level) -> None:
    decision = decide(text)
    assert (decision.level, decision.needs_confirmation, decision.about) == (level, True, "self")


def test_a_sure_statement_followed_by_a_question_is_not_unsure() -> None:
    decision = decide("I have chest pain, should I call 911?")
    assert (decision.level, decision.needs_confirmation) == (Level.EMERGENCY, False)


def test_questions_and_worries_are_never_confirmed_first() -> None:
    decision = decide("is it safe to do these with a herniated disc?")
    assert (decision.level, decision.rule) == (Level.CALL_DOCTOR, "questions_worries")
    assert not decision.needs_confirmation


# ------------------------------------------------------------------ whose sign, and when

@pytest.mark.parametrize(("text", "candidate"), [
    ("my friend has chest pain", Level.EMERGENCY), ("my husband can't breathe", Level.EMERGENCY),
    ("my son's legs are numb", Level.EMERGENCY), ("He can't feel his legs", Level.EMERGENCY),
    ("my mum has a fever", Level.URGENT), ("my cat fell off the sofa", Level.EMERGENCY),
])
def test_someone_elses_sign_gives_information_not_escalation(text: str,
                                                             candidate: Level) -> None:
    decision = decide(text)
    assert (decision.level, decision.about, decision.candidate) == (
        Level.NONE, "someone_else", candidate)


def test_the_person_counts_when_they_share_the_sign() -> None:
    assert decide("me and my husband both have chest pain").level == Level.EMERGENCY
    assert decide("my wife and I both have a fever").level == Level.URGENT
    assert decide("my husband says I was slurring last night").level == Level.EMERGENCY


@pytest.mark.parametrize(("text", "candidate"), [
    ("what if I get numbness?", Level.URGENT), ("should I worry if my arm goes numb", Level.URGENT),
    ("in case I faint, who do I call?", Level.EMERGENCY),
    ("can these exercises cause a fever?", Level.URGENT),
])
def test_a_hypothetical_gives_information_not_escalation(text: str, candidate: Level) -> None:
    decision = decide(text)
    assert (decision.level, decision.about, decision.candidate) == (
        Level.NONE, "hypothetical", candidate)


def test_a_condition_with_a_comma_is_real() -> None:
    assert decide("If I lie flat, I can't breathe").level == Level.EMERGENCY


# ------------------------------------------------------------------ how people write

@pytest.mark.parametrize("text", [
    "cant move", "cnt move", "can not move", "cannot move", "can't move", "can’t move",
    "CAN'T MOVE!!", "unable to move", "I'm not able to move", "couldn't move",
])
def test_every_way_of_writing_cannot_is_the_same(text: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.rule, decision.matched) == (
        Level.EMERGENCY, "severe_pain_cannot_move", "cannot move")


@pytest.mark.parametrize(("text", "rule"), [
    ("numbnes in my fingers", "arm_numb_weak"), ("cant breath", "breathing"),
    ("chset pain", "chest_pain"), ("feaver since sunday", "fever"),
    ("shortnes of breath", "breathing"), ("tinglng in both legs", "legs_or_walking"),
    ("my légs are fine but my arm is númb", "arm_numb_weak"), ("Fever 🤒", "fever"),
])
def test_typos_accents_and_emoji_are_read(text: str, rule: str) -> None:
    assert decide(text).rule == rule


@pytest.mark.parametrize("text", [
    "never mind", "fewer reps today", "I skipped the squeeze", "I painted the kitchen",
    "it's chilly", "I fell asleep after the exercises", "can't wait to move on",
    "could've been worse", "I'm on a diet and have lost 3 kg", "the chest stretch felt good",
])
def test_real_words_are_not_read_as_signs(text: str) -> None:
    assert decide(text).level == Level.NONE


def test_typo_matching_keeps_to_slips() -> None:
    assert is_typo("numbnes", "numbness") and is_typo("chset", "chest")
    assert is_typo("breath", "breathe") and is_typo("feaver", "fever")
    assert not is_typo("never", "fever") and not is_typo("fewer", "fever")
    assert not is_typo("skipped", "slipped") and not is_typo("fell", "feel")


def test_only_the_start_of_a_huge_message_is_read_and_quickly() -> None:
    assert decide("x " * MAX_CHARS + "chest pain").level == Level.NONE
    assert decide("chest pain " + "blah " * 200_000).level == Level.EMERGENCY
    catalogue = shipped()
    start = time.perf_counter()
    for flood in ("sudden severe back " * 200, "numb arm " * 300, "no fever, " * 300):
        triage(flood, catalogue)
    assert time.perf_counter() - start < 1.0
    assert len(tokens("a" * 10 * MAX_CHARS)) == 1


def test_nothing_to_read_is_nothing() -> None:
    for text in ("", "   ", "👍👍", "?!?", "\x00\u200b"):
        assert decide(text) == Decision(Level.NONE, None, None, False, "nothing", Level.NONE)


SIGNS = st.sampled_from([
    "chest", "pain", "numb", "arm", "legs", "no", "not", "cant", "breathe", "my", "husband",
    "if", "maybe", "fever", "fell", "asleep", "?", ",", ".", "but", "and", "i", "tingling",
    "worse", "stiff", "neck", "headache", "osteoporosis", "tripped", "cancer", "hurts", "😀",
])


def check_valid(decision: Decision) -> None:
    assert isinstance(decision.level, Level) and isinstance(decision.candidate, Level)
    assert decision.about in ABOUTS
    assert decision.candidate >= decision.level
    assert (decision.rule is None) == (decision.about == "nothing") == (decision.matched is None)
    if decision.level != Level.NONE:
        assert decision.about == "self" and decision.candidate == decision.level
    if decision.needs_confirmation:
        assert decision.about == "self" and decision.level != Level.NONE


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_valid_decision(text: str) -> None:
    check_valid(decide(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(SIGNS, max_size=40).map(" ".join))
def test_any_mix_of_sign_words_gives_a_valid_decision(text: str) -> None:
    check_valid(decide(text))


# ------------------------------------------------------------------ the loader

RULE = """
[[rules]]
id = "x"
level = "urgent"
source = "a source"
patterns = ["numb"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "triage.toml"
    path.write_text(text)
    return path


def test_a_minimal_catalogue_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, 'version = "1"\n' + RULE))
    assert catalogue.rules[0].level is Level.URGENT
    assert triage("my arm is numb", catalogue).rule == "x"


@pytest.mark.parametrize(("text", "message"), [
    ('version = "1"\n' + RULE.replace('"urgent"', '"critical"'),
     "rules.0.level: 'critical' is not one of call_doctor, urgent, emergency (rule x)"),
    ('version = "1"\n' + RULE.replace('source = "a source"\n', ""), "rules.0.source: Field"),
    ('version = "1"\n' + RULE.replace("patterns", "paterns"), "rules.0.paterns: unknown field"),
    ('version = "1"\n' + RULE.replace('"numb"', '"numb/ + arm"'),
     "rules.0: rule x: pattern 'numb/ + arm'"),
    ('version = "1"\n' + RULE + RULE, "rule ids used twice: ['x']"),
    (RULE, "version: Field required"),
    ('version = "1"\nextra = 2\n' + RULE, "extra: unknown field"),
    ("version = ", "not valid TOML"),
])
def test_a_bad_catalogue_names_the_file_and_the_field(tmp_path: Path, text: str,
                                                      message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_missing_catalogue_is_named(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"triage\.toml: file is missing"):
        load_catalogue(tmp_path / "triage.toml")


# ------------------------------------------------------------------ backcoach triage

def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_cli_explains_one_message() -> None:
    code, out, _ = cli("my husband can't breathe")
    assert code == 0
    assert "level:    none" in out and "rule:     breathing (emergency)" in out
    assert "matched:  cannot breathe" in out and "someone else" in out
    code, out, _ = cli("cant", "move")
    assert "level:    emergency" in out and "severe_pain_cannot_move" in out


def test_the_cli_prints_json() -> None:
    code, out, _ = cli("--json", "not sure if it's numbness")
    assert code == 0
    assert json.loads(out) == {"level": "urgent", "rule": "numbness", "matched": "numbness",
                               "needs_confirmation": True, "about": "self"}


def test_the_cli_reads_one_message_per_line_from_stdin() -> None:
    code, out, _ = cli(stdin="chest pain\nthanks!\n\nno fever\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 4
    assert [line["level"] for line in lines] == ["emergency", "none", "none", "none"]
    assert [line["about"] for line in lines] == ["self", "nothing", "nothing", "negated"]


def test_the_cli_reports_a_bad_catalogue(tmp_path: Path) -> None:
    code, out, err = cli("--catalogue", str(tmp_path / "nope.toml"), "chest pain")
    assert code == 2 and out == ""
    assert "nope.toml: file is missing" in err
