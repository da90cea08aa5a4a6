"""/share, as one table: a read-only progress page for a day, a week or until the next
visit; every page still open is listed with when it ends and how often it was opened, and
each one is stopped with one button.

The page's address is not made here: the reply asks for it (`Attach("share_link:<ref>")`)
and the sender makes a token when it sends the message, so no token is ever kept with the
answer or in the person's rows (only its hash, bot/services/sharing.py).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Attach, Button, Line, Say, Toast, button, say
from bot.domain.limits import allowance
from bot.domain.model import Conversation, Person, ShareLink
from bot.domain.reminders.timezones import zone
from bot.domain.understanding.dates import said_date

NAME = "share"
MAX_OPEN = 5  # pages open at once: each is a way into the person's history
LENGTHS = {"day": timedelta(days=1), "week": timedelta(days=7)}
# "Until the next visit": through the visit's day, so it still opens while they are there.
AFTER_VISIT = timedelta(hours=12)


class ShareState(StrEnum):
    """Where a person is in /share."""

    MENU = "menu"
    DONE = "done"


def begin(ctx: Context) -> list[Say]:
    """Open /share, or say kindly that pages are not served here."""
    if not ctx.limits.sharing:
        return [say("share.unavailable")]
    ctx.person.conversation = Conversation(NAME, ShareState.MENU.value, {},
                                           ctx.person.conversation.revision)
    return [_menu(ctx)]


def open_links(person: Person, now: datetime) -> list[ShareLink]:
    """The pages still open, oldest first."""
    return sorted((link for link in person.share_links if link.active(now)),
                  key=lambda link: link.created_at)


def visit_end(person: Person, now: datetime) -> datetime | None:
    """When a page shared "until the next visit" ends; None without a visit to come."""
    visit = person.appointment
    return visit.at + AFTER_VISIT if visit is not None and visit.at > now else None


def make(ctx: Context, event: Press) -> Step[ShareState]:
    """A new page for the length chosen, and the message that will carry its address."""
    person, now = ctx.person, ctx.now
    ends = now + LENGTHS[event.arg] if event.arg in LENGTHS else (
        visit_end(person, now) if event.arg == "visit" else None)
    if ends is None:  # a forged length, or the visit passed since the button was drawn
        return Step(ShareState.MENU, [say("common.use_buttons")])
    if len(open_links(person, now)) >= MAX_OPEN:
        return Step(ShareState.MENU, [say("share.too_many", most=MAX_OPEN)])
    if not allowance.take(person, "share", now):
        return Step(ShareState.MENU, [say("share.daily_cap")])
    link = ShareLink(secrets.token_hex(4), now, ends)
    person.share_links.append(link)
    person.conversation.data["made"] = link.ref
    # The address first, alone in its message (easy to forward); then what it is.
    return Step(ShareState.DONE, [Attach(f"share_link:{link.ref}")])


def stop(ctx: Context, event: Press) -> Step[ShareState]:
    """Stop one page at once; its address then says it was stopped."""
    link = next((link for link in open_links(ctx.person, ctx.now) if link.ref == event.arg),
                None)
    if link is None:  # stopped or ended already, or not theirs (forged)
        return Step(ShareState.MENU, [Toast(Line("share.not_open"))], prompt="edit")
    link.revoked_at = ctx.now
    return Step(ShareState.MENU, [Toast(Line("share.stopped"))], prompt="edit")


def done(ctx: Context, event: Press) -> Step[ShareState]:
    """Close the list."""
    return Step(ShareState.DONE)


def typed(ctx: Context, event: Text) -> Step[ShareState]:
    """Text here means nothing to the list."""
    return Step(ShareState.MENU, [say("common.use_buttons")])


def _menu(ctx: Context) -> Say:
    person, now = ctx.person, ctx.now
    links = open_links(person, now)
    lines = [Line("share.intro")]
    if links:
        lines.append(Line("share.open_title"))
        lines.extend(_link_line(person, n, link) for n, link in enumerate(links, 1))
    choices = [button("share.btn_day", "share_for", "day"),
               button("share.btn_week", "share_for", "week")]
    rows: list[tuple[Button, ...]] = [tuple(choices)]
    if visit_end(person, now) is not None:
        rows.append((button("share.btn_visit", "share_for", "visit"),))
    rows.extend((button("share.btn_stop", "share_stop", link.ref, n=n),)
                for n, link in enumerate(links, 1))
    rows.append((button("share.btn_done", "share_done"),))
    return Say(tuple(lines), tuple(rows))


def _done(ctx: Context) -> Say:
    made = ctx.person.conversation.data.get("made")
    link = next((link for link in ctx.person.share_links if link.ref == made), None)
    if link is None:
        return say("share.closed")
    return say("share.made", until=_when(ctx.person, link.expires_at))


def _link_line(person: Person, n: int, link: ShareLink) -> Line:
    until = _when(person, link.expires_at)
    if link.views == 0 or link.last_viewed_at is None:
        return Line("share.link_unopened", {"n": n, "until": until})
    key = "share.link_opened_once" if link.views == 1 else "share.link_opened"
    return Line(key, {"n": n, "until": until, "count": link.views,
                      "last": _when(person, link.last_viewed_at)})


def _when(person: Person, moment: datetime) -> Line:
    """A moment in the person's own time zone (UTC, said so, when they set none)."""
    name = person.reminder_settings.time_zone
    where: tzinfo = zone(name) if name else UTC
    local = moment.astimezone(where)
    key = "share.when" if name else "share.when_utc"
    return Line(key, {"date": said_date("date.choice", local.date()),
                      "time": local.strftime("%H:%M")})


SHARE: Flow[ShareState] = Flow(
    name=NAME,
    states=ShareState,
    initial=ShareState.MENU,
    final=frozenset({ShareState.DONE}),
    table=(
        row(ShareState.MENU, press("share_for"), make, ShareState.DONE, ShareState.MENU),
        row(ShareState.MENU, press("share_stop"), stop, ShareState.MENU),
        row(ShareState.MENU, press("share_done"), done, ShareState.DONE),
        row(ShareState.MENU, TEXT, typed, ShareState.MENU),
    ),
    prompts={ShareState.MENU: _menu, ShareState.DONE: _done},
)
