"""Common questions about the program and typed places, end to end through the real bot:
an answer from content, a clinical question kept for the visit, a warning sign that wins
over an answer, and "yes, in my neck" where the bot asks where it hurts."""

from __future__ import annotations

from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_session import begin, stored


async def test_a_question_about_the_program_is_answered(timed: TimedWorld) -> None:
    async with timed.bot():
        ana = timed.emulator.user("Ana")
        await onboard(ana)
        reply = await ana.send_and_wait("missed yesterday, is that bad",
                                        contains="Missing a day is all right")
        assert "From the program your provider set up" in reply.text
        assert "not sure what you mean" not in reply.text
        person = await stored(timed, ana)
        assert person is not None and person.questions == []


async def test_a_clinical_question_is_for_the_provider_and_saved_for_the_visit(
        timed: TimedWorld) -> None:
    async with timed.bot():
        ben = timed.emulator.user("Ben")
        await onboard(ben)
        reply = await ben.send_and_wait("how long befor it heals?",
                                        contains="one for your provider")
        assert "save it as a question for your next visit" in reply.text
        await ben.press_and_wait("Yes, save it", contains="Saved")
        await ben.send_and_wait("/questions", contains="how long befor it heals?")
        person = await stored(timed, ben)
        assert person is not None
        assert [q.text for q in person.questions] == ["how long befor it heals?"]


async def test_a_warning_sign_in_a_question_escalates_instead(timed: TimedWorld) -> None:
    async with timed.bot():
        cara = timed.emulator.user("Cara")
        await onboard(cara)
        reply = await cara.send_and_wait("should it hurt this much, i cant move",
                                         contains="Please get medical help now")
        assert "A gentle stretch" not in reply.text and "(From " not in reply.text
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.triage_history(cara.user_id)
        assert [(r.level, r.rule) for r in history] == [
            ("emergency", "severe_pain_cannot_move")]


async def test_yes_in_my_neck_is_where_it_hurts(timed: TimedWorld) -> None:
    async with timed.bot():
        dan = timed.emulator.user("Dan")
        await onboard(dan)
        await begin(timed, dan, pain="3")
        await dan.press_and_wait("I'm in position")
        await dan.press_and_wait("It hurts, stop", contains="How bad is the pain")
        await dan.press_and_wait("4", contains="Where do you feel it")
        await dan.send_and_wait("yes, in my neck", contains="noted it")
        assert timed.deps is not None
        async with timed.deps.unit_of_work() as uow:
            history = await uow.people.pain_history(dan.user_id)
    assert [(p.moment, p.rating, p.where) for p in history] == [
        ("before", 3, None), ("during", 4, "neck")]


async def test_the_four_questions_of_the_issue_are_understood(timed: TimedWorld) -> None:
    async with timed.bot():
        eva = timed.emulator.user("Eva")
        await onboard(eva)
        await eva.send_and_wait("what if I miss a day?", contains="Missing a day is all right")
        await eva.send_and_wait("can I do them twice a day?", contains="one for your provider")
        await eva.press("No, thanks")  # answered with a notice on the button only
        # A question about the program goes to the doctor as the leaflet says (triage
        # decides), and the content's answer comes with it.
        reply = await eva.send_and_wait("should it hurt?", contains="A gentle stretch")
        assert "call your doctor to tell them" in reply.text
        await eva.press_and_wait("No, thanks")
        await eva.send_and_wait("how long until I feel better?",
                                contains="one for your provider")
        assert not any("not sure what you mean" in text for text in eva.bot_texts)
