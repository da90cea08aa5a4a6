"""/language: which of the bot's languages a person reads, changed at any time, from any state.

A person's first message takes the language of their Telegram app (services/conversation.py);
once stored, it changes only here, never by a later language_code. Each language is named in
its own words ("English", "Español"), so someone who cannot read the current one finds theirs.
"""

from __future__ import annotations

from bot.domain.engine.events import Press
from bot.domain.engine.flows import current_prompt
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Line, Reply, Say, Toast, say
from bot.domain.limits import allowance
from bot.domain.routing.home import HOME

ACTION = "language"
FAMILY = "language"  # the live-button family of the /language message


def choose(ctx: Context) -> list[Reply]:
    """/language: the language in use, and a button per language, each in its own words."""
    languages = ctx.catalog.languages
    current = languages.get(ctx.person.language, ctx.person.language)
    rows = tuple((Button(Line("language.button", {"name": name}), ACTION, code),)
                 for code, name in languages.items())
    allowance.open_buttons(ctx.person, FAMILY)  # its buttons work from any state, once
    return [say("language.current", rows, name=current)]


def in_use(ctx: Context) -> Say:
    """The language in use, said where a person looks at what is stored (/mydata)."""
    code = ctx.person.language
    return say("language.in_use", name=ctx.catalog.languages.get(code, code))


def pressed(ctx: Context, press: Press) -> list[Reply]:
    """A language button: every later message in that language; the flow keeps its place.

    A forged language or an older /language message changes nothing. Before consent nothing
    is stored, so there is no revision to check; the disclaimer shown again in the new
    language carries the choice on its button, kept when they agree.
    """
    person = ctx.person
    known = press.arg in ctx.catalog.languages
    if not known or (person.has_consented and not allowance.is_live(person, FAMILY,
                                                                    press.revision)):
        return [Toast(Line("common.stale_button")), *current_prompt(ctx, "common.where_we_are")]
    allowance.close(person, FAMILY)
    person.language = press.arg
    # Each language names itself in this sentence. Before consent the choice is kept only
    # if they press the disclaimer's button, and the sentence says so.
    done = say("language.changed" if person.has_consented else "language.changed_before_consent")
    if person.conversation.flow == HOME.name:
        return [done]
    return [done, *current_prompt(ctx)]  # the question they were on, in the new language
