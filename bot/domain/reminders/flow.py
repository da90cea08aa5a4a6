"""/reminders, declared as one table: the daily time, the days, the time zone, quiet hours.

Every change is shown back in plain words and the pending reminders are worked out again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from enum import StrEnum

from bot.domain.engine.events import LocationShared, Press, Text
from bot.domain.engine.fsm import LOCATION, TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Say, say
from bot.domain.limits import allowance
from bot.domain.model import ALL_DAYS, Conversation, ReminderSettings
from bot.domain.reminders.plan import reschedule
from bot.domain.reminders.prompts import (
    clash_prompt,
    days_prompt,
    done,
    menu,
    quiet_prompt,
    time_prompt,
    zone_prompt,
)
from bot.domain.reminders.quiet_hours import hidden, move_one
from bot.domain.reminders.schedule import parse_days, parse_hours, parse_time
from bot.domain.reminders.zone_answers import (
    ZoneAnswer,
    check_prompt,
    checked_guess,
    read_zone,
    zone_help,
)

WEEKDAYS = (0, 1, 2, 3, 4)
WEEKENDS = (5, 6)


class ReminderState(StrEnum):
    """Where a person is in the reminder settings."""

    MENU = "menu"
    TIME = "time"
    DAYS = "days"
    ZONE = "zone"
    ZONE_CHECK = "zone_check"
    QUIET = "quiet"
    CLASH = "clash"
    DONE = "done"




def begin(ctx: Context) -> None:
    """Open the settings, coming back home afterwards."""
    ctx.person.conversation = Conversation("reminders", ReminderState.MENU.value, {},
                                           ctx.person.conversation.revision)



def _changed(ctx: Context, change: Callable[[], None],
             saved: Say | None = None) -> Step[ReminderState]:
    # Every change replans the reminder rows (the old ones are kept, cancelled): bounded.
    if not allowance.take(ctx.person, "reminder_change", ctx.now):
        return Step(ReminderState.MENU, [say("reminders.change_cap")])
    change()
    reschedule(ctx.person, ctx.now)
    return Step(ReminderState.MENU, [saved or say("reminders.saved")])


def _changed_clock(ctx: Context, change: Callable[[], None]) -> Step[ReminderState]:
    """Saved; a daily reminder that now falls in the quiet hours is said, not hidden."""
    if not allowance.take(ctx.person, "reminder_change", ctx.now):
        return Step(ReminderState.MENU, [say("reminders.change_cap")])
    change()
    reschedule(ctx.person, ctx.now)
    if hidden(ctx.person.reminder_settings) is not None:
        return Step(ReminderState.CLASH)
    return Step(ReminderState.MENU, [say("reminders.saved")])


def settle_clash(ctx: Context, event: Press) -> Step[ReminderState]:
    """Move the reminder out of the quiet hours, end them earlier, or leave both."""
    field = hidden(ctx.person.reminder_settings)
    choice = event.arg
    if field is None or choice == "keep":
        return Step(ReminderState.MENU)
    if choice not in ("reminder", "quiet"):
        return Step(ReminderState.CLASH)
    return _changed_clock(ctx, lambda: move_one(ctx.person.reminder_settings, field, choice))


def choose(ctx: Context, event: Press) -> Step[ReminderState]:
    """A menu button: which setting to change (or pause, resume, done)."""
    choice = event.arg
    settings = ctx.person.reminder_settings
    if choice in ("pause", "resume"):
        return _changed(ctx, lambda: setattr(settings, "paused", choice == "pause"))
    ctx.person.conversation.data["field"] = "checkin" if choice == "checkin" else "session"
    if choice in ("time", "checkin") and settings.time_zone is None:
        ctx.person.conversation.data["then"] = "time"
        return Step(ReminderState.ZONE, [say("reminders.zone_first")])
    if choice == "checkin":
        return Step(ReminderState.TIME)
    targets = {"time": ReminderState.TIME, "days": ReminderState.DAYS, "zone": ReminderState.ZONE,
               "quiet": ReminderState.QUIET, "done": ReminderState.DONE}
    return Step(targets.get(choice, ReminderState.MENU))


def typed_menu(ctx: Context, event: Text) -> Step[ReminderState]:
    """A typed time straight away sets it; anything else shows the menu again."""
    if (parse_time(event.text, ctx.catalog.times) is not None
            and ctx.person.reminder_settings.time_zone):
        return set_time(ctx, event)
    return Step(ReminderState.MENU, [say("common.use_buttons")])


def set_time(ctx: Context, event: Text | Press) -> Step[ReminderState]:
    """The daily session reminder (or check-in prompt) time, from a button or typed, or off."""
    settings = ctx.person.reminder_settings
    field = "checkin_time" if ctx.person.conversation.data.get("field") == "checkin" \
        else "session_time"
    if isinstance(event, Press) and event.arg == "off":
        return _changed(ctx, lambda: setattr(settings, field, None))
    value = _parse_hhmm(event.arg) if isinstance(event, Press) else parse_time(
        event.text, ctx.catalog.times)
    if value is None:
        return Step(ReminderState.TIME, [say("reminders.time_help")])
    return _changed_clock(ctx, lambda: setattr(settings, field, value))


def set_days(ctx: Context, event: Text | Press) -> Step[ReminderState]:
    """Which days: every day, weekdays, weekends, or typed ('mon wed fri')."""
    presets = {"all": ALL_DAYS, "weekdays": WEEKDAYS, "weekends": WEEKENDS}
    if isinstance(event, Press):
        days: tuple[int, ...] | None = presets.get(event.arg)
    else:
        days = parse_days(event.text, ctx.catalog.days)
    if not days:
        return Step(ReminderState.DAYS, [say("reminders.days_help")])
    chosen = days
    return _changed(ctx, lambda: setattr(ctx.person.reminder_settings, "days", chosen))


def set_zone(ctx: Context, event: Text | LocationShared) -> Step[ReminderState]:
    """A shared location, a typed city or UTC offset, or the time it is for them now
    (which is asked about before it is saved)."""
    answer = read_zone(ctx, event)
    if answer.guessed:
        return Step(ReminderState.ZONE_CHECK)
    if answer.zone is None:
        return Step(ReminderState.ZONE, [zone_help(answer)])
    return _zone_saved(ctx, answer.zone)


def check_zone(ctx: Context, event: Text | Press | LocationShared) -> Step[ReminderState]:
    """Yes saves the zone guessed from their clock; no asks again; anything else is read
    as a new answer."""
    verdict = checked_guess(ctx, event)
    if verdict is None:
        if isinstance(event, Press):  # a button that is neither yes nor no
            return Step(ReminderState.ZONE, [zone_help(ZoneAnswer())])
        return set_zone(ctx, event)
    if not verdict:
        return Step(ReminderState.ZONE, [say("reminders.zone_guess_wrong")])
    return _zone_saved(ctx, verdict)


def _zone_saved(ctx: Context, found: str) -> Step[ReminderState]:
    if ctx.person.conversation.data.pop("then", None) == "time":  # planned once the time is set
        ctx.person.reminder_settings.time_zone = found
        return Step(ReminderState.TIME, [say("reminders.zone_saved", zone=found)])
    return _changed(ctx, lambda: setattr(ctx.person.reminder_settings, "time_zone", found),
                    say("reminders.zone_saved", zone=found))


def set_quiet(ctx: Context, event: Text | Press) -> Step[ReminderState]:
    """Quiet hours: none, the usual night, or typed '22:00-07:00'."""
    settings = ctx.person.reminder_settings
    if isinstance(event, Press):
        window = {"none": (None, None), "night": (time(22), time(8))}.get(event.arg)
    else:
        window = parse_hours(event.text, ctx.catalog.times)
    if window is None:
        return Step(ReminderState.QUIET, [say("reminders.quiet_help")])
    start, end = window
    return _changed_clock(ctx, lambda: _set_quiet_hours(settings, start, end))


def _set_quiet_hours(settings: ReminderSettings, start: time | None, end: time | None) -> None:
    settings.quiet_start, settings.quiet_end = start, end


def back(ctx: Context, event: Press) -> Step[ReminderState]:
    """Back to the menu without changing anything."""
    return Step(ReminderState.MENU)


def _parse_hhmm(text: str) -> time | None:
    if len(text) != 4 or not text.isdigit():
        return None
    hours, minutes = int(text[:2]), int(text[2:])
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


REMINDERS: Flow[ReminderState] = Flow(
    name="reminders",
    states=ReminderState,
    initial=ReminderState.MENU,
    final=frozenset({ReminderState.DONE}),
    table=(
        row(ReminderState.MENU, press("choose"), choose, ReminderState.MENU, ReminderState.TIME,
            ReminderState.DAYS, ReminderState.ZONE, ReminderState.QUIET, ReminderState.DONE),
        row(ReminderState.MENU, TEXT, typed_menu, ReminderState.MENU, ReminderState.CLASH),
        row(ReminderState.MENU, LOCATION, set_zone, ReminderState.MENU, ReminderState.TIME,
            ReminderState.ZONE),
        row(ReminderState.TIME, press("time"), set_time, ReminderState.MENU, ReminderState.TIME,
            ReminderState.CLASH),
        row(ReminderState.TIME, TEXT, set_time, ReminderState.MENU, ReminderState.TIME,
            ReminderState.CLASH),
        row(ReminderState.TIME, press("back"), back, ReminderState.MENU),
        row(ReminderState.DAYS, press("days"), set_days, ReminderState.MENU, ReminderState.DAYS),
        row(ReminderState.DAYS, TEXT, set_days, ReminderState.MENU, ReminderState.DAYS),
        row(ReminderState.DAYS, press("back"), back, ReminderState.MENU),
        row(ReminderState.ZONE, TEXT, set_zone, ReminderState.MENU, ReminderState.TIME,
            ReminderState.ZONE, ReminderState.ZONE_CHECK),
        row(ReminderState.ZONE, LOCATION, set_zone, ReminderState.MENU, ReminderState.TIME,
            ReminderState.ZONE),
        row(ReminderState.ZONE, press("back"), back, ReminderState.MENU),
        row(ReminderState.ZONE_CHECK, press("zone_check"), check_zone, ReminderState.MENU,
            ReminderState.TIME, ReminderState.ZONE, ReminderState.ZONE_CHECK),
        row(ReminderState.ZONE_CHECK, TEXT, check_zone, ReminderState.MENU, ReminderState.TIME,
            ReminderState.ZONE, ReminderState.ZONE_CHECK),
        row(ReminderState.ZONE_CHECK, LOCATION, check_zone, ReminderState.MENU,
            ReminderState.TIME, ReminderState.ZONE, ReminderState.ZONE_CHECK),
        row(ReminderState.QUIET, press("quiet"), set_quiet, ReminderState.MENU,
            ReminderState.QUIET, ReminderState.CLASH),
        row(ReminderState.QUIET, TEXT, set_quiet, ReminderState.MENU, ReminderState.QUIET,
            ReminderState.CLASH),
        row(ReminderState.QUIET, press("back"), back, ReminderState.MENU),
        row(ReminderState.CLASH, press("clash"), settle_clash, ReminderState.MENU,
            ReminderState.CLASH),
    ),
    prompts={ReminderState.MENU: menu, ReminderState.TIME: time_prompt,
             ReminderState.DAYS: days_prompt, ReminderState.ZONE: zone_prompt,
             ReminderState.ZONE_CHECK: check_prompt, ReminderState.QUIET: quiet_prompt,
             ReminderState.CLASH: clash_prompt,
             ReminderState.DONE: done},
)
