"""Shared progress pages on SQLite and PostgreSQL: saved with the person, loaded while open,
stopped on save without touching the views, tokens set and found by their hash only for
the person's own open page, views counted, and gone with /forget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.model import ShareLink
from bot.services.sharing import token_hash
from storage.models import ShareLinkRow
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import T0, make_person

WEEK = timedelta(days=7)


def uow_at(factory: async_sessionmaker[AsyncSession],
           now: datetime) -> Callable[[], SqlUnitOfWork]:
    return lambda: SqlUnitOfWork(factory, lambda: now)


async def test_pages_are_saved_loaded_while_open_and_stopped(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    new_uow = uow_at(session_factory, T0)
    async with new_uow() as uow:
        person = make_person(1)
        await uow.people.add(person)
        await uow.people.add(make_person(2))
        person.share_links = [ShareLink("aa11", T0, T0 + timedelta(days=1)),
                              ShareLink("bb22", T0, T0 + WEEK)]
        await uow.people.save(person)
        assert all(link.id is not None for link in person.share_links)
        await uow.commit()
    async with new_uow() as uow:
        loaded = await uow.people.get(1)
        assert loaded is not None
        assert [link.ref for link in loaded.share_links] == ["aa11", "bb22"]
        assert (await uow.people.get(2)).share_links == []  # type: ignore[union-attr]
        # A view counted meanwhile (the page's own transaction) is not undone by a save.
        await uow.shares.record_view(loaded.share_links[1].id or 0, T0 + timedelta(hours=1))
        loaded.share_links[0].revoked_at = T0 + timedelta(hours=2)
        await uow.people.save(loaded)
        await uow.commit()
    async with uow_at(session_factory, T0 + timedelta(hours=3))() as uow:
        loaded = await uow.people.get(1)
        assert loaded is not None
        assert [(link.ref, link.views) for link in loaded.share_links] == [("bb22", 1)]
        assert loaded.share_links[0].last_viewed_at == T0 + timedelta(hours=1)
    async with uow_at(session_factory, T0 + WEEK)() as uow:  # the week is over
        loaded = await uow.people.get(1)
        assert loaded is not None and loaded.share_links == []


async def test_a_token_is_set_for_the_persons_own_open_page_and_found_by_its_hash(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    new_uow = uow_at(session_factory, T0)
    async with new_uow() as uow:
        for telegram_user_id in (1, 2):
            person = make_person(telegram_user_id)
            await uow.people.add(person)
            person.share_links = [ShareLink("cc33", T0, T0 + WEEK)]
            await uow.people.save(person)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.shares.set_token(1, "cc33", token_hash("first"), T0) == T0 + WEEK
        assert await uow.shares.set_token(1, "nope", token_hash("x"), T0) is None
        assert await uow.shares.set_token(3, "cc33", token_hash("x"), T0) is None  # nobody
        # A second token replaces the first (the message was sent again).
        assert await uow.shares.set_token(1, "cc33", token_hash("second"), T0) is not None
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.shares.find(token_hash("first")) is None
        page = await uow.shares.find(token_hash("second"))
        assert page is not None and page.telegram_user_id == 1
        assert page.token_hash == token_hash("second") and page.revoked_at is None
        assert page.language == "de"  # the person's (make_person's)
        stored = (await uow.session.execute(select(ShareLinkRow.token_hash))).scalars().all()
        assert "second" not in stored and token_hash("second") in stored
        await uow.shares.record_view(page.link_id, T0 + timedelta(minutes=1))
        await uow.shares.record_view(page.link_id, T0 + timedelta(minutes=2))
        await uow.commit()
    async with new_uow() as uow:
        viewed = await uow.people.get(1)
        assert viewed is not None
        assert (viewed.share_links[0].views, viewed.share_links[0].last_viewed_at) == (
            2, T0 + timedelta(minutes=2))
    async with uow_at(session_factory, T0 + WEEK)() as uow:  # ended: no new token
        assert await uow.shares.set_token(1, "cc33", token_hash("third"), T0 + WEEK) is None


async def test_forget_deletes_every_page(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    new_uow = uow_at(session_factory, T0)
    async with new_uow() as uow:
        for telegram_user_id in (1, 2):
            person = make_person(telegram_user_id)
            await uow.people.add(person)
            person.share_links = [ShareLink("dd44", T0, T0 + WEEK)]
            await uow.people.save(person)
        await uow.shares.set_token(1, "dd44", token_hash("ana"), T0)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.people.delete_person(1)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.shares.find(token_hash("ana")) is None
        left = await uow.session.execute(select(func.count()).select_from(ShareLinkRow))
        assert left.scalar_one() == 1  # the other person's


async def test_retention_drops_pages_closed_long_ago(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    new_uow = uow_at(session_factory, T0)
    async with new_uow() as uow:
        person = make_person(1)
        await uow.people.add(person)
        person.share_links = [ShareLink("old1", T0, T0 + WEEK),  # ends T0 + 7 days
                              ShareLink("stop", T0, T0 + WEEK, revoked_at=T0),
                              ShareLink("new1", T0, T0 + WEEK * 3)]
        await uow.people.save(person)
        await uow.commit()
    async with new_uow() as uow:
        assert await uow.retention.drop_history(T0 + timedelta(days=1), 100) == 1  # "stop"
        assert await uow.retention.drop_history(T0 + WEEK * 2, 100) == 1  # "old1"
        await uow.commit()
    async with new_uow() as uow:
        refs = (await uow.session.execute(select(ShareLinkRow.ref))).scalars().all()
        assert refs == ["new1"]
