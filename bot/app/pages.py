"""Every feature's page routes, gathered for the pages server (bot/web/pages.py).

A feature with pages adds its routes here; the runner serves them wherever the pages are
served (the webhook's port, a listener of their own, or 127.0.0.1 offline).
"""

from __future__ import annotations

from aiohttp import web

from bot.app.wiring import Deps


def page_routes(deps: Deps) -> list[web.RouteDef]:
    """The routes of every page the bot serves, under /p (paths here are relative to it)."""
    routes: list[web.RouteDef] = []
    return routes
