"""Telegram refusing a call (400) through the real bot: not retried, the person told, the
operator given one ERROR line naming the method and Telegram's description.

PTB's BadRequest is a NetworkError; it was once retried like one: the update ran five
times, answering the press again and re-sending what had gone out, then the rest of the
answer was dropped without a word.
"""

from __future__ import annotations

import logging

import pytest

from bot.emulator import Faults, TestUser
from tests.e2e.conftest import TimedWorld
from tests.e2e.test_onboarding import onboard
from tests.e2e.test_reminders import set_appointment
from tests.e2e.test_session import begin

DAY = 86400
REFUSAL = "Bad Request: wrong file identifier/HTTP URL specified"


def refuse(world: TimedWorld, method: str) -> None:
    """From now on Telegram refuses every call of `method`."""
    world.emulator.inject(Faults(rate=1.0, kinds={"400": 1.0}, methods={method},
                                 refusal=REFUSAL))


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def calls(world: TimedWorld, user: TestUser, method: str) -> list[int]:
    """The status of each call of `method` about this person's chat."""
    return [r.status for r in world.emulator.requests_for(user.chat_id, method)]


def answers(world: TimedWorld) -> list[int]:
    """The status of each answerCallbackQuery (it names no chat; only one person presses)."""
    return [r.status for r in world.emulator.requests if r.method == "answerCallbackQuery"]


async def test_a_refused_file_is_not_sent_again_and_the_person_hears_of_it(
        timed: TimedWorld, caplog: pytest.LogCaptureFixture) -> None:
    async with timed.bot():
        ria = timed.emulator.user("Ria")
        await onboard(ria)
        await ria.send_and_wait("/ask Is swimming fine?", contains="Saved")
        await set_appointment(ria)
        await timed.advance(4 * DAY + 3600)  # Fri 9 Jan, 09:00: "in 3 days", with a button
        await ria.expect("is in 3 days")
        refuse(timed, "sendDocument")
        answers_before = len(answers(timed))
        since = len(ria.transcript)
        await ria.press_and_wait("Send my questions and chart", contains="what to take")
        notice = await ria.expect("didn't arrive")
        await timed.settle()

        assert "backcoach-visit-2026-01-12.pdf" in notice.text
        assert "backcoach-visit.ics" in notice.text
        said = [e.text for e in ria.transcript[since:] if e.who == "bot" and e.kind == "text"]
        assert len([t for t in said if "Is swimming fine?" in t]) == 1  # never sent again
        assert len([t for t in said if "didn't arrive" in t]) == 1
        assert calls(timed, ria, "sendDocument") == [400, 400]  # each file tried once
        assert len(answers(timed)) == answers_before + 1  # the press answered once
    logged = errors(caplog)
    assert len(logged) == 2, logged
    assert all("sendDocument" in line and "Wrong file identifier" in line for line in logged)
    assert not any("swimming" in line.lower() for line in logged)


async def test_the_rest_of_an_answer_goes_on_after_a_refusal(
        timed: TimedWorld, caplog: pytest.LogCaptureFixture) -> None:
    async with timed.bot():
        ola = timed.emulator.user("Ola")
        await onboard(ola)
        await begin(timed, ola, pain="6")
        await ola.send_and_wait("/cancel")
        refuse(timed, "sendPhoto")
        await ola.send_and_wait("/progress", contains="once: 6 out of 10")  # after the chart
        notice = await ola.expect("didn't arrive")
        assert "picture" in notice.text
        assert ola.photos == [] and calls(timed, ola, "sendPhoto") == [400]
    logged = errors(caplog)
    assert len(logged) == 1 and "sendPhoto" in logged[0], logged
