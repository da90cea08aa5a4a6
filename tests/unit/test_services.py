"""The conversation use case with an in-memory unit of work: consent gating and redelivery."""

from __future__ import annotations

from bot.domain.engine.events import Command, Event, Press, Text
from bot.loaders.content import Content
from bot.services.conversation import Inbound, handle_update
from tests.unit.conftest import NOW
from tests.unit.fakes import FakeUnitOfWork


async def test_nothing_is_stored_before_consent(content: Content) -> None:
    uow = FakeUnitOfWork()
    await handle_update(uow, content.catalog, Inbound(1, 7, 7, "en", Command("start")), NOW)
    await handle_update(uow, content.catalog, Inbound(2, 7, 7, "en", Text("hi there")), NOW)
    await handle_update(uow, content.catalog, Inbound(3, 7, 7, "en", Press("decline", "", 0)), NOW)
    assert uow.people_store == {}
    outcome = await handle_update(uow, content.catalog,
                                  Inbound(4, 7, 7, "en", Press("agree", "", 0)), NOW)
    stored = uow.people_store[7]
    assert stored.consented_at == NOW and stored.conversation.state == "country"
    assert outcome.revision == stored.conversation.revision


async def test_a_redelivered_update_is_applied_once(content: Content) -> None:
    uow = FakeUnitOfWork()
    await handle_update(uow, content.catalog, Inbound(1, 7, 7, "en", Press("agree", "", 0)), NOW)
    first = uow.people_store[7].conversation.revision
    await handle_update(uow, content.catalog, Inbound(2, 7, 7, "en", Text("Portugal")), NOW)
    again = await handle_update(uow, content.catalog, Inbound(2, 7, 7, "en", Text("Spain")), NOW)
    assert again.duplicate and again.replies == []
    assert uow.people_store[7].country_code == "PT"
    assert uow.people_store[7].conversation.revision == first + 1


async def test_each_update_commits_once(content: Content) -> None:
    uow = FakeUnitOfWork()
    events: list[Event] = [Press("agree", "", 0), Text("Spain")]
    for update_id, event in enumerate(events, start=1):
        await handle_update(uow, content.catalog, Inbound(update_id, 9, 9, "en", event), NOW)
    assert uow.commits == 2
