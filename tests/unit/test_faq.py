"""Common questions about the program: the matcher on a corpus of paraphrases, its content's
validation, the answers through the domain, and reading where it hurts from typed words."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Say
from bot.domain.questions import faq_answer
from bot.domain.questions.faq import Answers, Topic, explain
from bot.domain.understanding.pain_places import read_place
from bot.domain.understanding.phrases import phrase_words, word_matches
from bot.loaders.content import ContentError, load_content
from content import CONTENT_DIR
from tests.unit.conftest import NOW, Chat
from tests.unit.test_onboarding import onboard_to
from tests.unit.test_session import started

CORPUS = tomllib.loads((Path(__file__).parent / "faq_corpus_en.toml").read_text())
CATALOG = load_content().catalog
ASKED = [(topic, text) for topic, texts in CORPUS["topics"].items() for text in texts]


# the matcher -----------------------------------------------------------------------------


@pytest.mark.parametrize(("topic", "text"), ASKED)
def test_every_paraphrase_is_read_as_its_topic(topic: str, text: str) -> None:
    found = CATALOG.answers.match(text)
    assert found is not None and found.topic.id == topic, explain(CATALOG.answers, text)


@pytest.mark.parametrize("text", CORPUS["none"])
def test_chatter_and_answers_flows_read_are_no_topic(text: str) -> None:
    assert CATALOG.answers.match(text) is None, explain(CATALOG.answers, text)


def test_the_corpus_has_variety_and_covers_every_topic() -> None:
    assert {t.id for t in CATALOG.answers.topics} == set(CORPUS["topics"])
    # More than the content file's own examples (checked when it loads): several times
    # as many phrasings per topic, the issue's own sentences among them.
    examples = tomllib.loads((CONTENT_DIR / "locales" / "en" / "answers.toml")
                             .read_text())["topics"]
    for topic, texts in CORPUS["topics"].items():
        assert len(set(texts) - set(examples[topic]["examples"])) >= 2 * len(
            examples[topic]["examples"]), topic
    asked = {text for _, text in ASKED}
    assert {"what if I miss a day?", "can I do them twice a day?", "Should it hurt?",
            "how long until I feel better?", "missed yesterday, is that bad",
            "twice daily ok?", "is it meant to be painful",
            "when will this get better"} <= asked


def test_slips_stems_and_short_words() -> None:
    assert word_matches("hurt*", "hurts") and word_matches("hurt*", "hrut")
    assert word_matches("miss*", "mised") and word_matches("miss*", "missing")
    assert word_matches("painful", "painfull") and word_matches("recovery", "recovrey")
    assert word_matches("day", "dya") and not word_matches("day", "dad")
    assert not word_matches("heat", "head")  # a short word allows only swapped letters
    assert not word_matches("scan", "can")  # a whole word is not a stem
    assert not word_matches("twice", "three")
    assert phrase_words("Shoulder blade*") == ("shoulder", "blade*")


def test_explain_names_the_words_read_for_each_group() -> None:
    assert explain(CATALOG.answers, "missd yesterday, is that bad") == (
        "missed_day (answer): 'missd' + 'yesterday'")
    assert explain(CATALOG.answers, "hello there") == "no topic"


def test_provider_topics_win_then_the_more_specific_then_the_first() -> None:
    def topic(name: str, kind: str, *groups: str) -> Topic:
        return Topic(name, kind, "s", (tuple((phrase_words(g),) for g in groups),))

    answers = Answers((topic("a", "answer", "pain", "should"), topic("b", "answer", "pain"),
                       topic("c", "provider", "pills")))

    def chosen(text: str) -> str:
        found = answers.match(text)
        assert found is not None, text
        return found.topic.id

    assert chosen("should pain") == "a"
    assert chosen("pain") == "b"
    assert chosen("should pain with pills") == "c"
    with pytest.raises(ValueError, match="kind"):
        topic("d", "diagnosis", "x")


def test_a_long_story_is_not_a_quick_question() -> None:
    story = "what if I miss a day " + "and then " * 20
    assert CATALOG.answers.match("what if I miss a day") is not None
    assert CATALOG.answers.match(story) is None


# where it hurts --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "place"), [
    ("yes, in my neck", "neck"), ("my neck", "neck"), ("Neck!", "neck"),
    ("in the lower back", "lower_back"), ("left shoulder blade", "shoulder_blades"),
    ("between my shoulders", "shoulder_blades"), ("my right shoulder", "shoulder"),
    ("top of my back", "upper_back"), ("my uper back", "upper_back"),
    ("in my left wrist", "arm_or_hand"), ("ribs on the right", "chest"),
    ("somewhere else", "other"), ("neck and shoulder", "neck"),
])
def test_the_place_is_read_from_natural_answers(text: str, place: str) -> None:
    assert read_place(text, CATALOG.pain_place_words) == place


@pytest.mark.parametrize("text", ["yes", "I don't know", "it hurts", ""])
def test_no_place_is_read_where_none_is_named(text: str) -> None:
    assert read_place(text, CATALOG.pain_place_words) is None


def test_yes_in_my_neck_at_the_where_prompt_records_the_neck(chat: Chat) -> None:
    started(chat, pain="3")
    chat.press("in position")
    chat.press("It hurts")
    chat.press("4")
    assert chat.state == "session/pain_where"
    chat.send("yes, in my neck")
    assert chat.state == "session/after_pain"
    rating = chat.person.new_pain_ratings[-1]
    assert (rating.rating, rating.moment, rating.where) == (4, "during", "neck")


def test_a_typed_place_in_a_checkin_counts_as_that_place(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/checkin")
    chat.press("2")
    chat.press("Yes")
    chat.send("in the lower back")
    assert chat.person.new_pain_ratings[-1].where == "lower_back"


# answers through the domain --------------------------------------------------------------


def test_a_question_at_rest_gets_its_answer_and_source(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("what if I miss a day?")
    assert "Missing a day is all right" in chat.text
    assert "(From the program your provider set up" in chat.text
    assert "not sure what you mean" not in chat.text and chat.labels() == []
    assert chat.state == "home/idle" and chat.person.questions == []


def test_a_clinical_question_is_for_the_provider_and_can_be_saved(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("how long until I feel better?")
    assert "one for your provider" in chat.text and "save it as a question" in chat.text
    assert "discomfort in the first days is normal" in chat.text
    chat.press("Yes, save it")
    assert [q.text for q in chat.person.questions] == ["how long until I feel better?"]
    assert chat.toasts == ["Saved"]


def test_a_short_clinical_question_is_offered_too(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("twice daily ok")  # no question mark, three words: still a question to keep
    assert "one for your provider" in chat.text
    assert chat.labels() == ["📝 Yes, save it", "No, thanks"]


def test_before_consent_nothing_is_offered_to_be_saved(chat: Chat) -> None:
    # The disclaimer asks for its buttons only; should any state before consent ever
    # answer, nothing is offered for keeping, as nothing about the person may be stored.
    chat.send("/start")
    said = faq_answer.answer(Context(chat.person, CATALOG, NOW), "twice daily ok")
    assert said is not None and said.buttons == ()
    assert said.lines[-1].key == "faq.provider" and "offer" not in chat.person.conversation.data


def test_in_a_session_the_answer_comes_and_the_step_is_asked_again(chat: Chat) -> None:
    started(chat)
    state = chat.state
    chat.send("what if I miss a day?")
    assert "Missing a day is all right" in chat.text and chat.state == state
    assert "✅ I'm in position" in chat.labels()


def test_at_a_rating_prompt_the_answer_replaces_the_help_line(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("/exercise")
    chat.press("ready")
    chat.send("what if I miss a day?")
    assert "Missing a day is all right" in chat.text
    assert chat.state == "session/pain_before" and "10" in chat.labels()


def test_a_program_question_sent_to_the_doctor_gets_the_answer_too(chat: Chat) -> None:
    onboard_to(chat, "idle")
    chat.send("should it hurt?")
    # Triage decides (call your doctor, as the leaflet says for questions about the
    # program); the content's answer comes before it, in the same message.
    assert chat.person.new_triage_records[-1].rule == "questions_worries"
    say = [r for r in chat.replies if isinstance(r, Say)]
    assert len(say) == 1
    assert chat.text.index("A gentle stretch") < chat.text.index("call your doctor to tell")
    assert chat.labels() == ["📝 Save it as a question", "No, thanks"]


@pytest.mark.parametrize("text", [
    "should it hurt this much, i cant move", "should it hurt this much? I can't move at all",
    "missed yesterday because the pain is so bad I cant move",
    "twice daily ok? I have chest pain and I'm sweating",
    "how long until I feel better, I've lost control of my bladder",
])
def test_a_warning_sign_always_wins_over_an_answer(chat: Chat, text: str) -> None:
    onboard_to(chat, "idle")
    chat.send(text)
    assert chat.person.new_triage_records[-1].level == "emergency", chat.text
    assert "(From " not in chat.text and "one for your provider" not in chat.text
    assert chat.state == "triage/emergency"


# content validation ----------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(("file", "old", "new", "error"), [
    ("locales/en/answers.toml", 'examples = ["should it hurt?"',
     'examples = ["can I take ibuprofen?"', r"should_hurt.examples: 'can I take ibuprofen\?' "
     r"is read as medicines"),
    ("locales/en/answers.toml", "[topics.serious]", "[topics.serious_]",
     r"en/answers.toml: topics.serious: missing"),
    ("answers.toml", 'serious = { kind = "provider", source = "safety" }',
     'serious = { kind = "provider", source = "blog" }', r"topics.serious.source: 'blog'"),
    ("answers.toml", 'serious = { kind = "provider"', 'serious = { kind = "diagnose"',
     r"answers.toml: topics.serious.kind: must be one of answer, provider"),
    ("answers.toml", '["questions_worries"]', '["question_worries"]',
     r"answer_with_rules: 'question_worries' is not a triage rule"),
    ("locales/en/answers.toml", 'leaflet = "the Upper', 'leaflets = "the Upper',
     r"sources.leaflet: missing"),
    ("locales/en/answers.toml", 'cues = [\n    ["should"', 'cues = [\n    [],\n    ["should"',
     r"topics.should_hurt.cues.0: an empty group"),
    ("locales/en/words.toml", "neck = [", "nek = [", r"pain_places.nek: not one of"),
])
def test_bad_answers_content_is_named(broken: Path, file: str, old: str, new: str,
                                      error: str) -> None:
    _edit(broken / file, old, new)
    with pytest.raises(ContentError, match=error):
        load_content(broken)
