"""Classes of wording the fifth blind English corpus found, each fixed as a class: messages
written for the fix in words of their own (not the corpus's) must land, and the near misses
beside them must stay at none. A class is a way of saying a sign, never one phrase."""

from __future__ import annotations

import functools

import pytest

from bot.domain.triage import About, Decision, Level, Triage
from bot.loaders.triage import load_triage


@functools.cache
def shipped() -> Triage:
    return load_triage()


def decide(text: str) -> Decision:
    return shipped().decide(text)


# Each class: (messages that must reach the level, near misses that must stay at none).
CLASSES: dict[str, tuple[Level, list[str], list[str]]] = {
    "sound-alike words from voice typing": (Level.EMERGENCY, [
        "there's a sharp pane in my chess going down my left arm",
        "bean coffin up blood since lunch",
        "been coffin all night and theres blood in it",
        "my chess feels tight and heavy and im sweating",
        "pane in my back is unbearable",
    ], [
        "fixed the cracked window pane today, back feels ok",
        "played chess all afternoon, neck a bit stiff after",
        "my nephew dressed up as a vampire in a coffin for halloween",
        "drank my coffee and did the bird dog, all good",
        "window panes need cleaning but my back says no",
    ]),
    "crisis said obliquely": (Level.EMERGENCY, [
        "since my husband died the pain never stops and i would rather be with him",
        "i just want to stop existing",
        "my mind is made up, i have the pills ready",
        "gave my cat to my neighbour and wrote letters to the kids",
        "i scratched my arms until they bled again last night",
    ], [
        "i'd rather be doing yoga than these exercises",
        "my friend wants to join me for the session tomorrow",
        "i made up my mind to do the exercises every morning",
        "gave my old sofa to my sister, back is sore from lifting it",
        "scratched my arm on the rose bush while gardening",
    ]),
    "a sensation said as a picture": (Level.EMERGENCY, [
        "a pain shot through my back like i was being pulled apart",
        "sudden pain between my shoulders like my insides were being ripped",
        "feels like my back is being torn in two",
        "my legs feel like they're wrapped in cling film",
        "both feet feel like i'm wearing thick gloves on them",
    ], [
        "pulled apart the old shelves today, back a bit achy",
        "wrapped the sandwiches in cling film and went for a walk",
        "my new gloves are lovely and warm",
        "my feet feel like new in these trainers",
        "the rubber mat is slippery during bird dog",
    ]),
    "severity said by what it did": (Level.EMERGENCY, [
        "the pain was so bad i threw up",
        "my back is so bad that i vomited twice",
        "threw up from the pain in my neck this morning",
        "back pain so bad i was sick",
        "it hurt so much it made me vomit",
    ], [
        "threw up after too much wine last night, back fine",
        "my son threw up at school today",
        "felt so bad about missing a session",
        "the film was so bad i walked out",
        "so bad at remembering my exercises lol",
    ]),
    "a collision told as a scene": (Level.EMERGENCY, [
        "a van drove into the back of my car at the lights, neck is stiff",
        "someone slammed into me on my bike, back hurts",
        "a lorry ploughed into us on the motorway this morning",
        "a taxi went into the back of my car, my neck hurts",
        "got rear ended, a car smashed into me at the roundabout",
    ], [
        "the kids ran into the back of the room laughing",
        "my trolley went into the back of someone at the shop, so embarrassing",
        "drove into town for my physio appointment",
        "we went into the back garden to do the stretches",
        "ran into my old teacher at the shop",
    ]),
    "hand function lost, said as everyday failures": (Level.URGENT, [
        "i keep dropping cups, dropped two mugs today",
        "dropped three glasses this week and my grip is getting weaker",
        "my grip keeps failing and I dropped several plates",
        "dropped a few cups this week, hands feel useless",
        "my grip is getting worse every day",
    ], [
        "my grip on the pull-up bar is getting stronger",
        "finished my sentence about the exercises, thanks",
        "dropped the kids at school then did my stretches",
        "the glasses I ordered came today",
        "got a grip on the routine now",
    ]),
}


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_a_class_of_wording_lands_and_its_near_misses_stay_none(name: str) -> None:
    level, lands, near_misses = CLASSES[name]
    for text in lands:
        decision = decide(text)
        assert decision.level >= level, (name, text, decision)
    for text in near_misses:
        decision = decide(text)
        assert decision.level == Level.NONE, (name, text, decision)


@pytest.mark.parametrize("text", [
    "can't even finish a sentence without stopping for air",
    "cant finish my sentences, so out of breath",
])
def test_breath_lost_mid_sentence_is_breathlessness(text: str) -> None:
    assert (decide(text).rule, decide(text).level) == ("breathing", Level.EMERGENCY)


@pytest.mark.parametrize(("text", "rule"), [
    ("had crushing chest pain and my left arm went numb, its gone now", "heart_attack_signs"),
    ("felt unsteady and kept veering to one side after the head rolls",
     "neck_artery_signs_after_movement"),
    ("kept bumping into the door frame after the neck circles",
     "neck_artery_signs_after_movement"),
    ("breast cancer last year and now a numb band round my chest", "legs_or_walking"),
    ("on chemo for lung cancer, numb strip around my ribs", "legs_or_walking"),
])
def test_signs_that_need_the_emergency_number_whatever_else_is_said(text: str,
                                                                    rule: str) -> None:
    decision = decide(text)
    assert (decision.rule, decision.level) == (rule, Level.EMERGENCY), decision


def test_a_calf_with_breathing_said_fine_is_urgent_not_an_emergency() -> None:
    decision = decide("my calf is swollen and sore but my breathing is fine")
    assert (decision.rule, decision.level) == ("swollen_calf", Level.URGENT), decision
    assert decide("calf swollen since my flight and it hurts to breathe in").level == (
        Level.EMERGENCY)


@pytest.mark.parametrize(("text", "about"), [
    ("what is a stroke exactly?", About.MENTION),
    ("whats a pulmonary embolism", About.MENTION),
    ("the vicar's sermon was about a man who couldn't walk", About.MENTION),
    ("nae numbness in my legs, just stiff", About.NEGATED),
])
def test_scope_said_in_other_words_keeps_it_none(text: str, about: About) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (Level.NONE, about), decision


def test_a_question_about_a_term_with_the_sign_itself_still_escalates() -> None:
    for text in ("what is a stroke? my face is drooping and my arm is weak",
                 "what is meningitis, I have a stiff neck, fever and a rash"):
        assert decide(text).level == Level.EMERGENCY, text


@pytest.mark.parametrize(("text", "rule"), [
    ("the stiffness eases once im up and moving", "inflammatory_back_pain"),
    ("is the cat camel still safe now that im pregnant", "questions_worries"),
    ("my physio left and nobody has called me back", "questions_worries"),
    ("pain jumped from 3 to 7 this week", "pain_worse"),
    ("hurts more than it used to after bird dog", "pain_worse"),
])
def test_care_and_programme_worries_in_everyday_words_call_the_doctor(text: str,
                                                                      rule: str) -> None:
    decision = decide(text)
    assert (decision.rule, decision.level) == (rule, Level.CALL_DOCTOR), decision


def test_childhood_and_abbreviation_lookalikes_stay_none() -> None:
    for text in ("had chickenpox as a boy, back is fine today",
                 "mi back a likkle stiff today but it alright"):
        assert decide(text).level == Level.NONE, text


@pytest.mark.parametrize(("text", "level"), [
    ("typing for my mum, it's her account: she has a fever and her back is really sore",
     Level.URGENT),
    ("this is his daughter writing, dad has lost a stone without trying and his back hurts at "
     "night", Level.URGENT),
    ("writing on behalf of my husband, he has had numbness in his hand for a week", Level.URGENT),
    ("my wife uses this bot, she asked me to say her pain is getting worse", Level.CALL_DOCTOR),
    ("im his carer, he has osteoporosis and slipped this morning, back sore", Level.URGENT),
])
def test_a_carer_typing_for_the_account_holder_gets_their_level(text: str,
                                                               level: Level) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (level, About.SELF), decision


@pytest.mark.parametrize("text", [
    "typing for my dad, he had a heart attack years ago and is doing well with the exercises",
    "typing for my mum, she says thanks for the reminders",
    "my husband has a fever",  # no carer: someone else's lesser sign stays information
    "my son is doing the exercises with me, he loves it",
])
def test_a_carer_or_relative_without_a_current_sign_stays_none(text: str) -> None:
    assert decide(text).level == Level.NONE, text


def test_going_down_onto_a_body_part_is_a_fall_and_going_down_without_warning_a_drop() -> None:
    for text in ("went down on my tailbone on the ice, cant sit",
                 "went down on my bum on the wet floor, sore now"):
        decision = decide(text)
        assert decision.family == "fracture" and decision.level < Level.EMERGENCY, decision
    for text in ("suddenly went down in the kitchen, no warning",
                 "my legs just went and i went down, couldnt get up"):
        assert decide(text).level == Level.EMERGENCY, text
