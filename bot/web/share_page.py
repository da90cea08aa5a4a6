"""The shared progress page's route: /p/s/<token>, on the pages server (bot/web/pages.py).

Open: the live report (200). Stopped or ended: a page that says so, in the person's
language (410 Gone). A token nobody has: 404. Only GET: a HEAD would count as a view. The
token is never logged (the pages' listeners keep no access log).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from bot.export.page import CSS, message_page, progress_page
from bot.services.sharing import SharedView
from bot.web.pages import page

PATH = "/s/{token}"
View = Callable[[str], Awaitable[SharedView]]
Labels = Callable[[str | None], Mapping[str, str]]  # the export's words of a language


def share_address(base_url: str, token: str) -> str:
    """The page's public address."""
    return f"{base_url}/p/s/{token}"


def share_routes(view: View, labels_of: Labels) -> list[web.RouteDef]:
    """The shared page's route: `view` opens a token, `labels_of` gives a language's words."""

    async def show(request: web.Request) -> web.Response:
        shown = await view(request.match_info["token"])
        if shown.status == "open" and shown.report is not None and shown.ends is not None:
            title, body = progress_page(shown.report, shown.chart, shown.ends)
            return page(request, title, body, css=CSS, lang=shown.language or "en")
        labels = labels_of(shown.language)
        kind, status = ("gone", 410) if shown.status == "gone" else ("unknown", 404)
        title, body = message_page(labels, kind)
        return page(request, title, body, status=status, css=CSS, lang=shown.language or "en")

    return [web.get(PATH, show, allow_head=False)]
