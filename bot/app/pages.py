"""Every feature's page routes, gathered for the pages server (bot/web/pages.py).

A feature with pages adds its routes here; the runner serves them wherever the pages are
served (the webhook's port, a listener of their own, or 127.0.0.1 offline).
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.app.prescribe_cli import bot_username
from bot.app.wiring import Deps
from bot.domain.engine.replies import Line
from bot.services.prescribe import Created, Request, handout_again, prescribe
from bot.services.sharing import SharedView, view_page
from bot.telegram.files import labels_of, wording
from bot.web.prescribe_form import Amount, ExerciseChoice, FormDeps, form_routes
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
    if deps.settings.prescribe_form and deps.settings.clinician_token is not None:
        routes.extend(form_routes(form_deps(deps)))
    return routes


FORM_WORDS = "clinician_form."  # strings.toml's section of the form's words


def form_deps(deps: Deps) -> FormDeps:
    """The clinicians' form, wired: the program's exercises in the default language, and
    links made as `backcoach prescribe` makes them."""
    settings, content = deps.settings, deps.content
    locales = content.locales
    words = wording(locales.texts(locales.default))
    username: list[str] = []  # asked once, on the first link

    async def name() -> str:
        if not username:
            username.append(await bot_username(None, settings))
        return username[0]

    async def create(request: Request, language: str) -> Created:
        return await prescribe(deps.unit_of_work(), content.catalog, request, deps.clock.now(),
                               await name(), wording(locales.texts(language)))

    def qr_data_uri(link: str) -> str:
        from bot.export.qr import qr_data_uri as draw  # segno, only once the form is on

        return draw(link)

    async def handout(code: str, language: str) -> bytes | None:
        return await handout_again(deps.unit_of_work(), content.catalog, code,
                                   deps.clock.now(), await name(),
                                   wording(locales.texts(language)))

    exercises = [ExerciseChoice(e.id, words.words(Line(f"exercise.{e.id}.name")), tuple(
        Amount(n, words.words(Line(f"dose.name_{n}")), r.min, r.max, r.default)
        for n, r in e.dose.items())) for e in content.catalog.exercises]
    assert settings.clinician_token is not None
    texts = locales.texts(locales.default).strings
    labels = {"form." + key.removeprefix(FORM_WORDS): text for key, text in texts.items()
              if key.startswith(FORM_WORDS)}
    return FormDeps(settings.clinician_token.get_secret_value(), deps.clock, labels,
                    exercises, [locales.default, *sorted(set(locales.by_language) -
                                                         {locales.default})],
                    settings.program_link_days, create, handout, qr_data_uri)
