"""Whose crisis it is (bot/domain/triage/people.py): thoughts of suicide or self-harm are
someone else's only when the message clearly says so. A person in crisis who names a
relative near the words ("my kids would be better off without me", "le regalé mi guitarra
a mi sobrino") gets their own crisis answer; a worried relative whose message is plainly
about the other ("my son says he wants to kill himself") is told how to help them."""

from __future__ import annotations

import pytest

from bot.domain.triage import Triage
from bot.domain.triage.levels import About
from bot.domain.triage.people import People
from bot.loaders.triage import load_triage


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


# The person's own crisis, with a relative, a pet or "le" named near the words.
OWN_EN = [
    "everyone would be better off without me, I gave my dog to my sister today",
    "my kids would be better off without me",
    "tired of being a burden on my husband, he'd be better off without me",
    "my parents would be better off without me honestly",
    "my family would be better off if i wasnt here",
    "my mum keeps asking whats wrong but i want to kill myself",
    "gave the cat to my sister and sorted my will, i am ready now",
    "my boyfriend doesnt know i have been cutting myself again",
    "my wife would be happier without me, she deserves better, i want to die",
    "my brother and his kids would be better off without me around",
    "my daughter will be fine without me, i do not want to be here anymore",
    "my wife would be better off, i am done with life",
]
OWN_ES = [
    "mis padres van a descansar de mí",
    "mis hijos estarían mejor sin mí",
    "mi familia estaría mejor sin mí",
    "mi marido estaría mejor sin mí, ya no aguanto más",
    "ya le regalé mi guitarra a mi sobrino, no voy a estar aquí mucho tiempo",
    "ya no le encuentro sentido a seguir",
    "le di las llaves a mi hermana, ya lo tengo decidido",
    "mi hermana no lo sabe pero quiero morirme",
    "mi madre no sabe que me quiero matar",
    "mi novio no sabe que me estoy cortando otra vez",
    "todos estarían mejor sin mí",
]
# Someone else's crisis, plainly: the other person is the one the crisis words are about.
THEIRS_EN = [
    "my son says he wants to kill himself",
    "my husband is talking about ending it",
    "my friend took all her pills",
    "my daughter is cutting herself again",
    "my brother said he wants to end his life",
    "my flatmate has been self harming",
    "my dad keeps saying he would rather be dead",
    "my girlfriend told me she wants to die",
    "my sister is planning to end her life",
    "I'm scared, my son says he wants to kill himself",
    "my daughter is cutting herself and im scared",
    "my son says he wants to kill himself, what do I do",
    "wants to end her life, my sister, i mean",  # "her" after the words says whose
    "flatmate took a heap of pills and is really drowsy, idk how many",
]
THEIRS_ES = [
    "mi hijo dice que se quiere matar",
    "mi hija se está cortando",
    "mi amigo se tomó un bote entero de pastillas",
    "mi esposo dice que quiere quitarse la vida",
    "mi hermano se corta los brazos",
    "mi padre dice que se quiere morir",
    "mi hija se autolesiona desde hace meses",
    "mi amiga dice que se va a tirar del puente",
    "mi compañero de piso se tomó todas las pastillas",
    "mi marido habla de acabar con todo",
    "mi hija se está cortando y no tengo idea de qué hacer",
]


@pytest.mark.parametrize("text", OWN_EN + OWN_ES)
def test_a_crisis_with_a_relative_named_is_the_persons_own(triage: Triage, text: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.response, decision.about) == (
        "emergency", "crisis", About.SELF), decision


@pytest.mark.parametrize("text", THEIRS_EN + THEIRS_ES)
def test_a_crisis_plainly_about_someone_else_stays_theirs(triage: Triage, text: str) -> None:
    decision = triage.decide(text)
    assert (decision.level.label, decision.response, decision.about) == (
        "emergency", "crisis", About.SOMEONE_ELSE), decision


# Whose the words are, whatever the rules make of them (their words are tuned elsewhere):
# the crisis reading against the ordinary one, on one concept found in the sentence.
WHOSE = [
    ("es", "le regalé mi guitarra a mi sobrino, ya no voy a estar", "leaving",
     About.SOMEONE_ELSE),
    ("es", "ya no voy a necesitar nada, le regalé mis cosas a mi sobrino", "leaving",
     About.SELF),
    ("en", "gave the cat to my sister, won't need her where I'm going", "leaving", About.SELF),
]


@pytest.mark.parametrize(("language", "text", "concept", "ordinary"), WHOSE)
def test_a_relation_that_only_receives_does_not_take_the_crisis(
        triage: Triage, language: str, text: str, concept: str, ordinary: About) -> None:
    reader = triage.readers[language]
    message = reader.read(text)
    people = People(message, reader.groups)
    hits = message.found(concept)
    assert hits, f"{concept} not found in {text!r}"
    assert {people.whose(hit, crisis=True)[0] for hit in hits} == {About.SELF}
    assert ordinary in {people.whose(hit)[0] for hit in hits}


def test_the_reading_says_why_a_crisis_is_kept_as_the_persons_own(triage: Triage) -> None:
    explained = triage.explain("my kids would be better off without me")
    cues = [cue for match in explained.matches for cue in match[4]]
    assert any("the person's own crisis" in cue and "kids" in cue for cue in cues), cues


def test_a_crisis_sentence_naming_no_one_does_not_take_the_one_before(
        triage: Triage) -> None:
    decision = triage.decide("my dad died last year. i want to kill myself")
    assert decision.about == About.SELF
    decision = triage.decide("my sister has been so low lately. better off dead, she said")
    assert decision.level.label == "emergency" and decision.response == "crisis"
