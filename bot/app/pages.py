"""Every feature's page routes, gathered for the pages server (bot/web/pages.py).

A feature with pages adds its routes here; the runner serves them wherever the pages are
served (the webhook's port, a listener of their own, or 127.0.0.1 offline).
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.app.wiring import Deps
from bot.services.sharing import SharedView, view_page
from bot.telegram.files import labels_of, wording
from bot.web.share_page import share_routes


def page_routes(deps: Deps) -> list[web.RouteDef]:
    """The routes of every page the bot serves, under /p (paths here are relative to it)."""
    locales = deps.content.locales

    async def view(token: str) -> SharedView:
        return await view_page(deps.unit_of_work(), token, deps.clock.now(),
                               deps.content.catalog, deps.renderer,
                               lambda language: wording(locales.texts(language)))

    def labels(language: str | None) -> Mapping[str, str]:
        return labels_of(locales.texts(language or locales.default))

    routes: list[web.RouteDef] = [*share_routes(view, labels)]
    return routes
