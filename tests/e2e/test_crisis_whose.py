"""Whose crisis it is, end to end: the real Application over HTTP against the emulator,
SQLite, a manual clock. A person in crisis who names a relative near the words gets their
own crisis answer with their crisis line, and nothing after it leads back to exercise; a
worried relative's answer also holds a line for themself, in case it is them."""

from __future__ import annotations

from tests.e2e.conftest import TimedWorld
from tests.e2e.test_crisis import BACK_TO_EXERCISE, CRISIS
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import begin, stored
from tests.e2e.test_triage_spanish import CRISIS as CRISIS_ES
from tests.e2e.test_triage_spanish import levels, onboard_in_spanish

SOMEONE_CRISIS = "Please help them get support now"


async def test_a_crisis_naming_a_relative_gets_the_persons_own_crisis_answer(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ivy = timed.emulator.user("Ivy")
        await onboard(ivy, "United Kingdom")
        await begin(timed, ivy)
        await ivy.send_and_wait(
            "everyone would be better off without me, I gave my dog to my sister today",
            contains=CRISIS)
        answer = ivy.bot_texts[-1]
        assert "Samaritans" in answer and "116 123" in answer and "999" in answer
        assert SOMEONE_CRISIS not in answer
        person = await stored(timed, ivy)
        assert person is not None and person.session is None  # ended, not paused for later
        assert (person.conversation.flow, person.conversation.state) == ("triage", "crisis")
        seen = len(ivy.bot_texts)
        await ivy.press_and_wait("I've read this", contains="I'm here too")
        after = ivy.bot_texts[seen:]
        assert not any(word in text for text in after for word in BACK_TO_EXERCISE), after
        history = await levels(timed, ivy)
        assert [level for level, _, _ in history] == ["emergency"]  # hers, not someone else's
        assert history[0][1] in ("suicidal_thoughts", "crisis_signs_together")


async def test_my_kids_would_be_better_off_without_me_is_the_persons_own_crisis(
        timed: TimedWorld) -> None:
    async with timed.bot():
        jo = timed.emulator.user("Jo")
        await onboard(jo, "Canada")
        await jo.send_and_wait("my kids would be better off without me", contains=CRISIS)
        assert "988" in jo.bot_texts[-1] and SOMEONE_CRISIS not in jo.bot_texts[-1]
        assert [(level, rule) for level, rule, _ in await levels(timed, jo)] == [
            ("emergency", "suicidal_thoughts")]


async def test_a_spanish_crisis_naming_parents_is_the_persons_own(timed: TimedWorld) -> None:
    async with timed.bot():
        leo = timed.emulator.user("Leo", language_code="es")
        await onboard_in_spanish(leo)
        await leo.send_and_wait("mis padres van a descansar de mí", contains=CRISIS_ES)
        answer = leo.bot_texts[-1]
        assert "Línea de la Vida" in answer and "800 911 2000" in answer
        assert "Ayuda ahora a esa persona" not in answer


async def test_someone_elses_crisis_also_offers_the_line_to_the_person_themself(
        timed: TimedWorld) -> None:
    async with timed.bot():
        kim = timed.emulator.user("Kim")
        await onboard(kim, "Canada")
        await kim.send_and_wait("my husband is talking about ending it",
                                contains=SOMEONE_CRISIS)
        answer = kim.bot_texts[-1]
        assert "if you're the one feeling like this" in answer
        assert answer.count("Crisis Helpline, on 988") == 2 and "911" in answer  # for them, and Kim
        assert [(level, source) for level, _, source in await levels(timed, kim)] == [
            ("none", "someone_else")]
        rosa = timed.emulator.user("Rosa", language_code="es")
        await onboard_in_spanish(rosa)
        await rosa.send_and_wait("mi hijo dice que se quiere matar",
                                 contains="Ayuda ahora a esa persona")
        answer = rosa.bot_texts[-1]
        assert "Y si eres tú quien se siente así" in answer
        assert answer.count("Línea de la Vida") == 2
