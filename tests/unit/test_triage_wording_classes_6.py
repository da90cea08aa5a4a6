"""Classes of wording the sixth blind English corpus found, each fixed as a class: messages
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


# Each class: (the level its messages must reach, those messages, near misses that stay none).
CLASSES: dict[str, tuple[Level, list[str], list[str]]] = {
    "the saddle area in slang": (Level.EMERGENCY, [
        "my willy has gone numb and my back is killing me",
        "cant feel my dick properly since this morning, back agony",
        "fanny feels numb when i wipe, lower back bad",
        "my bits feel dead since last night and my back is sore",
        "numb nutsack and my legs are weak",
    ], [
        "dick move from my boss today but the stretches went fine",
        "my nephew drew a willy on the whiteboard lol",
        "my bits and bobs are packed for the holiday, back ok",
        "watched a cock fight documentary, grim",
        "fanny pack arrived today, back fine",
    ]),
    "a tearing pain said as shredding or clawing": (Level.EMERGENCY, [
        "sudden pain shredding through my chest into my back",
        "feels like something is shredding my back from the inside",
        "a pain clawing its way down between my shoulder blades, came on in a second",
        "tearing its way through my chest out of nowhere",
        "like a zip being ripped open down my spine",
    ], [
        "shredded the old bank statements today",
        "got shredded at the gym this summer lol",
        "shredding cheese for dinner, neck a bit stiff",
        "the dog shredded my slippers",
        "zipped up my coat and went for a walk",
    ]),
    "crisis said as a pull, an ending or a handful": (Level.EMERGENCY, [
        "the train tracks behind my house look so tempting tonight",
        "that balcony keeps calling to me",
        "honestly done with being alive",
        "im so done, over existing honestly",
        "gave my dog to my brother and sorted all my things, feel at peace now",
        "took a whole packet of my tablets an hour ago",
    ], [
        "the pool looked so inviting after the session",
        "this cake is calling to me lol",
        "so done with this week, roll on friday",
        "sorted all my stuff for the house move, back a bit sore",
        "took my tablets with breakfast as usual",
    ]),
    "a knock to the head, then confusion or vomiting": (Level.EMERGENCY, [
        "my nan tripped and knocked her head, now shes being sick",
        "fell down the stairs and hit my head, i keep throwing up",
        "bumped my head on a beam this morning and now i feel really confused",
        "my son fell off the trampoline, hit his head and is confused",
        "fell off the step, hit my head and now i feel sick and muddled",
    ], [
        "my head is all over the place with work this week",
        "fell asleep on the sofa, woke up fine",
        "felt sick after the boat trip, back fine",
        "confused about which exercise comes next",
        "banged on about my back to my mum all day",
    ]),
    "care worries said as a trend, a longer after-pain or a scan": (Level.CALL_DOCTOR, [
        "pain has been trending up all week",
        "the pain numbers keep creeping up this week",
        "the soreness after bird dog lasts the whole next day now",
        "do i need a scan for this",
        "should i get an mri for my neck",
    ], [
        "stiff for 10 min in the morning, then fine",
        "stiff for 20 minutes in the morning then fine",
        "my mum is getting her hair done, back fine",
        "the scan of my passport went through",
        "the pain eased after the session, lovely",
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


@pytest.mark.parametrize(("text", "about"), [
    ("kms this traffic is unreal", About.IDIOM),
    ("kms if the bus is late again", About.IDIOM),
    ("vibes 10/10 after the session", About.IDIOM),
    ("the new mat is 10/10 would recommend", About.IDIOM),
    ("when i was 12 i broke my arm falling off a bike", About.PAST),
    ("in high school i fractured my spine playing rugby", About.PAST),
    ("broke my leg at age 8", About.PAST),
    ("watched a doco about strokes last night", About.MENTION),
    ("is sciatica a real thing or just an excuse", About.MENTION),
    ("my grandad had a heart attack in the war and tells the story every sunday",
     About.MENTION),
])
def test_slang_scores_age_and_retelling_keep_it_none(text: str, about: About) -> None:
    decision = decide(text)
    assert (decision.level, decision.about) == (Level.NONE, about), decision


@pytest.mark.parametrize("text", [
    "i want to kms",
    "kms",
    "kms this pain is too much",
    "pain 10/10 today",
    "is thunderclap headache a real thing because i have the worst headache of my life right now",
])
def test_the_same_words_said_of_oneself_still_escalate(text: str) -> None:
    assert decide(text).level == Level.EMERGENCY, text


def test_breathing_said_to_be_no_problem_is_no_sign_and_not_breathing_still_is() -> None:
    assert decide("sore back, no breathing problems").level == Level.NONE
    calf = decide("calf swollen and sore, no breathing problems")
    assert (calf.rule, calf.level) == ("swollen_calf", Level.URGENT), calf
    assert decide("calf swollen and im short of breath").level == Level.EMERGENCY
    assert decide("my mum is not breathing").level == Level.EMERGENCY


def test_a_head_on_the_shelf_is_no_head_on_collision() -> None:
    knock = decide("hit my head on the shelf, no harm done")
    assert (knock.rule, knock.level) == ("fall_or_knock", Level.URGENT), knock
    crash = decide("got into a head on collision on the a road, neck hurts")
    assert (crash.rule, crash.level) == ("fall_or_accident", Level.EMERGENCY), crash
