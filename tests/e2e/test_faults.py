"""Faults: several people use the bot while the emulator answers 10% of calls with 500 or
502, hangs, drops the connection or floods with 429, and one person's chat refuses
everything with 403. The bot keeps serving, never crashes, and loses nothing; a message
appears twice only where a fault hid that it had been delivered."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.emulator import Emulator, Faults, TestUser
from bot.emulator.chatview import contains_text
from tests.e2e.conftest import StartBot
from tests.e2e.test_onboarding import onboard

WAIT = 60.0  # an answer may need a few retries, each after a timeout

# (send|press, what, the reply to wait for)
SCRIPT = [
    ("send", "/checkin", "How is your back today"),
    ("press", "3", "new pain"),
    ("press", "No", "worse than usual"),
    ("press", "No", "check-in done"),
    ("send", "/ask Is it fine to do the stretches twice?", "Saved"),
    ("send", "/questions", "1 to ask"),
    ("send", "why does my shoulder click when I lift it", "2 to ask"),
    ("send", "/exercise", "Before you start"),
    ("press", "I'm ready", "How much does your back hurt"),
    ("press", "2", "Exercise 1 of 5"),
    ("press", "I'm in position", "Set 1 of 3"),
    ("press", "Skip exercise", "Exercise 2 of 5"),
    ("send", "/cancel", "session is paused"),
    ("send", "/help", "What I can do"),
]


async def follow(user: TestUser) -> None:
    for kind, what, reply in SCRIPT:
        if kind == "send":
            await user.send(what)
        else:
            await user.press(what)
        await user.wait_for(contains_text(reply), WAIT, what=f"{reply!r} after {what!r}")


def duplicates(user: TestUser) -> Counter[str]:
    """Bot messages that arrived more than once in a row-independent way (same text)."""
    texts = Counter(e.text for e in user.transcript if e.who == "bot" and e.kind == "text")
    return Counter({text: n - 1 for text, n in texts.items() if n > 1})


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_bot_keeps_serving_through_faults(
        start_bot: StartBot, database_url: str, emulator: Emulator,
        caplog: pytest.LogCaptureFixture) -> None:
    async with start_bot(database_url) as deps:
        people = [emulator.user(f"F{n}") for n in range(5)]
        blocked = emulator.user("Blocked")
        for person in [*people, blocked]:
            await onboard(person)
        before_faults = len(blocked.transcript)
        emulator.inject(Faults(rate=0.10, seed=8, hang_seconds=6, flood_retry_after=(1, 2),
                               blocked_users={blocked.user_id}))
        await blocked.send("/help")
        await asyncio.gather(*(follow(person) for person in people))
        await blocked.send("/checkin")
        await emulator.wait_delivered(timeout=WAIT)
        emulator.inject(None)
        log = list(emulator.faults_log)

        # It kept serving: a fresh person is answered at once, faults over.
        late = emulator.user("After")
        await onboard(late)

    kinds = Counter(record.kind for record in log)
    assert {"500", "502", "hang", "drop", "flood", "403"} <= set(kinds), kinds
    # Nothing lost: every person's script reached its end (follow() waited for each reply),
    # and everything they said is stored.
    async with deps.unit_of_work() as uow:
        for person in people:
            stored = await uow.people.get(person.user_id)
            assert stored is not None
            assert [q.text for q in stored.questions] == [
                "Is it fine to do the stretches twice?",
                "why does my shoulder click when I lift it"]
    # A repeat only where a fault hid a delivered message in that chat.
    hidden: Counter[int | None] = Counter(r.chat_id for r in log if r.took_effect
                                   and r.method.lower() in ("sendmessage", "senddocument"))
    for person in people:
        repeated = sum(duplicates(person).values())
        assert repeated <= hidden[person.user_id], (person.name, duplicates(person))
    # The blocked person's updates were handled though nothing reached them.
    said = [e for e in blocked.transcript[before_faults:] if e.who != "bot"]
    assert len(said) == 2 and not [e for e in blocked.transcript[before_faults:]
                                   if e.who == "bot"]
    # Never an unhandled error: faults are warnings, not crashes.
    crashes = [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")
               and "update failed" in r.getMessage()]
    assert crashes == [], [r.getMessage() for r in crashes]
