"""The triage engine, one behaviour at a time: every family, word forms, scope, people,
languages, and that any text at all gives a valid decision."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.triage import About, Decision, Level, Triage
from bot.domain.triage.reading import MAX_CHARS
from bot.loaders.triage import load_triage


@functools.cache
def shipped() -> Triage:
    return load_triage()


def decide(text: str) -> Decision:
    return shipped().decide(text)


def test_levels_are_ordered_and_read_from_their_labels() -> None:
    assert Level.NONE < Level.CALL_DOCTOR < Level.URGENT < Level.EMERGENCY
    assert [level.label for level in Level] == ["none", "call_doctor", "urgent", "emergency"]
    assert Level("urgent") is Level.URGENT  # type: ignore[arg-type]  # how pydantic reads it
    with pytest.raises(ValueError):
        Level("critical")  # type: ignore[arg-type]


def test_the_shipped_catalogue_covers_every_red_flag_family_with_sources() -> None:
    catalogue = shipped().catalogue
    families = {rule.family for rule in catalogue.rules}
    assert {"cauda_equina", "cardiac", "aortic_dissection", "pulmonary_embolism", "stroke_cad",
            "thunderclap_headache", "cord_compression", "infection", "cancer", "fracture",
            "inflammatory", "severe_pain", "progressive_neuro", "self_harm", "leaflet",
            "collapse"} <= families
    assert all(len(rule.source) > 20 for rule in catalogue.rules)
    leaflet = {r.id for r in catalogue.rules if "LEAFLET" in r.source}
    assert {"severe_pain_cannot_move", "pain_worse", "new_pain", "questions_worries"} <= leaflet
    crisis = [r for r in catalogue.rules if r.response == "crisis"]
    assert crisis and all(r.level == Level.EMERGENCY and not r.confirm for r in crisis)


# ------------------------------------------------------------------ each family

@pytest.mark.parametrize(("text", "level", "family"), [
    ("i want to kill myself", Level.EMERGENCY, "self_harm"),
    ("ive got the pills saved up", Level.EMERGENCY, "self_harm"),
    ("been cutting again", Level.EMERGENCY, "self_harm"),
    ("numb when i wipe and cant pee", Level.EMERGENCY, "cauda_equina"),
    ("chest feels tight and it goes down my left arm", Level.EMERGENCY, "cardiac"),
    ("sudden ripping pain between my shoulder blades", Level.EMERGENCY, "aortic_dissection"),
    ("coughing up blood", Level.EMERGENCY, "pulmonary_embolism"),
    ("my calf is swollen and now i'm breathless", Level.EMERGENCY, "pulmonary_embolism"),
    ("my face is drooping on one side", Level.EMERGENCY, "stroke_cad"),
    ("dizzy, sick and my eyes keep flickering after the head rolls", Level.EMERGENCY,
     "stroke_cad"),
    ("worst headache of my life, came on suddenly", Level.EMERGENCY, "thunderclap_headache"),
    ("electric shocks down my spine when i look down", Level.URGENT, "cord_compression"),
    ("my hands are clumsy and i keep dropping things", Level.URGENT, "cord_compression"),
    ("numb band around my chest and both legs weak", Level.EMERGENCY, "cord_compression"),
    ("fever and my back is killing me", Level.EMERGENCY, "severe_pain"),
    ("i have a fever and back pain", Level.URGENT, "infection"),
    ("stiff neck, high temperature and a splitting headache", Level.EMERGENCY, "infection"),
    ("i inject drugs and my back aches", Level.URGENT, "infection"),
    ("had breast cancer 3 years ago and now new back pain", Level.URGENT, "cancer"),
    ("lost a stone without trying", Level.URGENT, "cancer"),
    ("fell off a ladder onto my back", Level.EMERGENCY, "fracture"),
    ("i have osteoporosis and tripped on the kerb, back hurts", Level.URGENT, "fracture"),
    ("stiff for two hours every morning and it eases when i move", Level.CALL_DOCTOR,
     "inflammatory"),
    ("my eye is red and really painful", Level.URGENT, "inflammatory"),
    ("excruciating", Level.EMERGENCY, "severe_pain"),
    ("the numbness in my hand is spreading up my arm", Level.URGENT, "progressive_neuro"),
    ("my pain is getting worse", Level.CALL_DOCTOR, "leaflet"),
])
def test_each_family_is_found(text: str, level: Level, family: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.family, decision.about) == (level, family, About.SELF), (
        decision)


# ------------------------------------------------------------------ word forms and slips

@pytest.mark.parametrize(("text", "rule"), [
    ("ripped pain in my back all of a sudden", "tearing_pain"),
    ("torn feeling deep in my chest", "tearing_pain"),
    ("saw double after the head rolls", "stroke_signs"),
    ("havent peed since yesterday", "cauda_equina"),
    ("my bladder stopped working", "cauda_equina"),
    ("my bladder control is gone", "cauda_equina"),
    ("a fridge parked on my chest", "chest_pain"),
    ("chest pian", "chest_pain"),
    ("cant feel my leggs", "legs_or_walking"),
    ("breth is short and i cant get air", "breathing"),
])
def test_word_forms_paraphrases_and_slips_are_read(text: str, rule: str) -> None:
    decision = decide(text)
    assert decision.rule == rule and decision.level > Level.NONE, decision


def test_severity_words_are_severe_pain_and_not_uncertainty() -> None:
    for text in ("unbearable", "my back is killing me", "the pain is so bad i cant think straight"):
        decision = decide(text)
        assert decision.level == Level.EMERGENCY and not decision.needs_confirmation, text


# ------------------------------------------------------------------ scope

@pytest.mark.parametrize(("text", "about"), [
    ("had chest pain last year, heart is fine", About.PAST),
    ("watched a movie about a heart attack", About.MENTION),
    ("what does cauda equina mean?", About.MENTION),
    ("ran out of breath laughing", About.IDIOM),
    ("the tingling went away", About.RESOLVED),
    ("my toes are numb from the cold", About.EXPLAINED),
    ("no chest pain at all", About.NEGATED),
    ("no numbness, tingling or weakness", About.NEGATED),
    ("chest pain? none", About.NEGATED),
    ("what should i do if i get chest pain", About.HYPOTHETICAL),
    ("can people get numb legs from this", About.HYPOTHETICAL),
    ("my dad had a heart attack years ago", About.PAST),
])
def test_time_mention_idiom_negation_and_hypotheticals_do_not_escalate(
        text: str, about: About) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (Level.NONE, about), decision


def test_an_idiom_without_the_body_matches_nothing() -> None:
    assert decide("this traffic is killing me").level == Level.NONE


def test_a_sign_said_as_a_sign_beats_the_idiom_inside_it() -> None:
    assert decide("i cant catch my breath").level == Level.EMERGENCY


def test_a_past_sign_that_is_back_counts() -> None:
    assert decide("had chest pain last year and it is back again today").level == Level.EMERGENCY


def test_now_inside_im_fine_now_keeps_a_past_sign_past() -> None:
    """'fine now' says it is over; the 'now' in it is not the sign coming back."""
    decision = decide("years ago i tried to kill myself, i'm fine now")
    assert (decision.level, decision.about) == (Level.NONE, About.PAST)


def test_never_and_then_suddenly_is_news_not_a_denial() -> None:
    assert decide("i never get headaches and suddenly my head exploded with pain").level == (
        Level.EMERGENCY)
    assert decide("i never get headaches and today none either").level == Level.NONE


def test_unsure_asks_first_but_crisis_never_waits() -> None:
    assert decide("not sure but i think my legs are numb").needs_confirmation
    crisis = decide("maybe i want to die")
    assert crisis.level == Level.EMERGENCY and not crisis.needs_confirmation
    assert crisis.response == "crisis"


def test_a_condition_does_not_cancel_a_crisis() -> None:
    decision = decide("if this pain doesnt stop im going to end it")
    assert decision.level == Level.EMERGENCY and decision.response == "crisis"


# ------------------------------------------------------------------ someone else

@pytest.mark.parametrize("text", [
    "my husband has chest pain and is all sweaty and grey",
    "my husband is unconscious and not breathing",
    "my mum collapsed. she isnt responding",
])
def test_someone_elses_emergency_is_an_emergency_for_them(text: str) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (Level.EMERGENCY, About.SOMEONE_ELSE), decision


def test_someone_elses_lesser_sign_is_information_only() -> None:
    decision = decide("my mum has a fever")
    assert (decision.level, decision.about, decision.candidate) == (
        Level.NONE, About.SOMEONE_ELSE, Level.URGENT)


def test_someone_elses_crisis_gets_the_crisis_answer_for_them() -> None:
    decision = decide("my son says he wants to kill himself")
    assert (decision.level, decision.about, decision.response) == (
        Level.EMERGENCY, About.SOMEONE_ELSE, "crisis")


def test_the_persons_own_emergency_comes_before_someone_elses() -> None:
    decision = decide("my husband is unconscious and i have chest pain too")
    assert (decision.level, decision.about, decision.rule) == (
        Level.EMERGENCY, About.SELF, "chest_pain")


# ------------------------------------------------------------------ languages

@pytest.mark.parametrize(("text", "language"), [
    ("Ich habe starke Brustschmerzen und kann kaum atmen", "de"),
    ("болит грудь, отдает в левую руку", "ru"),
    ("quero morrer, não aguento mais", "pt"),  # Spanish is read now; its neighbour is not
])
def test_a_language_the_bot_cannot_read_is_named(text: str, language: str) -> None:
    decision = decide(text)
    assert decision.unreadable == language and decision.level == Level.NONE
    assert decision.about == About.UNREADABLE


@pytest.mark.parametrize("text", ["ok", "thx", "done!", "lol", "tbh idk", "bird dog done ✅",
                                  "Sarah says hi", "👍"])
def test_short_english_and_slang_are_never_called_another_language(text: str) -> None:
    assert decide(text).unreadable is None


def test_a_sign_in_a_mixed_message_is_still_acted_on() -> None:
    decision = decide("HELP chest pain, no puedo respirar")
    assert decision.level == Level.EMERGENCY


# ------------------------------------------------------------------ any text at all

def test_nothing_to_read_is_nothing() -> None:
    for text in ("", "   ", "👍👍", "?!?", "\x00\u200b"):
        decision = decide(text)
        assert (decision.level, decision.rule, decision.about) == (
            Level.NONE, None, About.NOTHING)


def test_only_the_start_of_a_huge_message_is_read() -> None:
    decision = decide("fine " * (MAX_CHARS // 5) + "chest pain")
    assert decision.level == Level.NONE
    assert decide("chest pain " + "fine " * 10_000).level == Level.EMERGENCY


SIGNS = st.sampled_from([
    "chest", "pain", "numb", "arm", "legs", "no", "not", "cant", "breathe", "my", "husband",
    "if", "maybe", "fever", "fell", "asleep", "?", ",", ".", "but", "and", "i", "tingling",
    "worse", "stiff", "neck", "headache", "osteoporosis", "tripped", "cancer", "hurts", "😀",
    "kill", "myself", "last", "year", "gone", "movie", "mean", "der", "und", "pills",
])


def check_valid(decision: Decision) -> None:
    assert isinstance(decision.level, Level) and isinstance(decision.candidate, Level)
    assert isinstance(decision.about, About)
    if decision.about == About.SOMEONE_ELSE and decision.level > Level.NONE:
        assert decision.level == decision.candidate == Level.EMERGENCY
    elif decision.level > Level.NONE:
        assert decision.candidate >= decision.level
    assert (decision.rule is None) == (decision.matched is None)
    if decision.needs_confirmation:
        assert decision.level != Level.NONE and decision.response == "medical"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_valid_decision(text: str) -> None:
    check_valid(decide(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(SIGNS, max_size=40).map(" ".join))
def test_any_mix_of_sign_words_gives_a_valid_decision(text: str) -> None:
    check_valid(decide(text))
