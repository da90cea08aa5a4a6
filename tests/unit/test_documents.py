"""The documents use case (bot/services/documents.py) with an in-memory unit of work and a
renderer that draws in this process: one transaction, and what the adapter is given to send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Self, TypeVar

from bot.domain.engine.replies import Line
from bot.domain.model import Appointment, PainRating, Person
from bot.export.render_pool import RenderFailed
from bot.loaders.content import Content
from bot.services.documents import documents
from bot.telegram.files import wording
from tests.unit.conftest import NOW
from tests.unit.fakes import FakePeople, FakeUnitOfWork

T = TypeVar("T")


class HistoryPeople(FakePeople):
    """FakePeople with the histories the documents read (pain ratings; nothing else)."""

    def __init__(self, committed: dict[int, Person], pain: list[PainRating]) -> None:
        super().__init__(committed)
        self.pain = pain

    async def pain_history(self, telegram_user_id: int,
                           since: datetime | None = None) -> list[PainRating]:
        return list(self.pain)

    async def session_history(self, telegram_user_id: int) -> list[Any]:
        return []

    async def triage_history(self, telegram_user_id: int) -> list[Any]:
        return []

    async def program_history(self, telegram_user_id: int) -> list[Any]:
        return []


class CountingUnitOfWork(FakeUnitOfWork):
    """Counts the transactions begun."""

    def __init__(self, pain: list[PainRating]) -> None:
        super().__init__()
        self.begun = 0
        self.pain = pain

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.begun += 1
        self.people = HistoryPeople(self.people_store, self.pain)
        return self


class InProcess:
    """A Renderer drawing right here (or failing every time), noting what it was asked."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.asked: list[str] = []

    async def run(self, what: str, function: Callable[..., T], *args: Any) -> T:
        self.asked.append(what)
        if self.fails:
            raise RenderFailed(what)
        return function(*args)


def known(pain: list[PainRating] | None = None) -> CountingUnitOfWork:
    uow = CountingUnitOfWork(pain or [])
    person = Person(7, 7, "en", NOW - timedelta(days=30))
    person.appointment = Appointment(datetime(2026, 3, 30, 9, 30, tzinfo=UTC), "Dr Silva")
    uow.people_store[7] = person
    return uow


async def test_the_export_is_made_in_one_transaction(content: Content) -> None:
    uow, renderer = known(), InProcess()
    files = await documents("export", uow, renderer, content.catalog, 7, NOW,
                            wording(content.locales.texts("en")))
    assert [f.filename for f in files] == ["questions.txt", "backcoach-visit-2026-03-30.pdf",
                                           "backcoach-visit.ics"]
    assert files[1].content.startswith(b"%PDF") and renderer.asked == ["visit_pdf"]
    assert uow.begun == 1 and uow.commits == 0  # it only reads


async def test_a_document_not_drawn_leaves_a_note_and_the_rest_is_sent(content: Content) -> None:
    texts = content.locales.texts("en")
    files = await documents("export", known(), InProcess(fails=True), content.catalog, 7, NOW,
                            wording(texts))
    assert [f.filename for f in files] == ["questions.txt", "not-drawn.txt",
                                           "backcoach-visit.ics"]
    assert files[1].as_text
    assert files[1].content.decode() == wording(texts).words(Line("visit.not_drawn"))


async def test_progress_draws_a_chart_only_when_there_are_ratings(content: Content) -> None:
    renderer = InProcess()
    words = wording(content.locales.texts("en"))
    none = await documents("progress", known(), renderer, content.catalog, 7, NOW, words)
    assert [f.filename for f in none] == ["progress.txt"] and renderer.asked == []
    rated = known([PainRating(NOW - timedelta(days=1), 4, "checkin")])
    files = await documents("progress", rated, renderer, content.catalog, 7, NOW, words)
    assert [(f.filename, f.as_photo) for f in files] == [("backcoach-pain.png", True),
                                                         ("progress.txt", False)]
    assert files[0].content.startswith(b"\x89PNG") and renderer.asked == ["pain_chart"]
    assert files[0].caption == words.words(Line("visit.photo_caption"))


async def test_nobody_known_gets_no_files(content: Content) -> None:
    words = wording(content.locales.texts("en"))
    for kind in ("export", "progress", "mydata", "something else"):
        uow, renderer = CountingUnitOfWork([]), InProcess()
        assert await documents(kind, uow, renderer, content.catalog, 8, NOW, words) == []
        assert renderer.asked == [] and uow.begun <= 1
