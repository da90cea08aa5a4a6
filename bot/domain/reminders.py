"""/reminders, declared as one table: the daily time, the days, the time zone, quiet hours.

Every change is shown back in plain words and the pending reminders are worked out again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from enum import StrEnum

from bot.domain import allowance
from bot.domain.events import Event, LocationShared, Press, Text
from bot.domain.fsm import Context, Flow, Step, row
from bot.domain.model import ALL_DAYS, Conversation, ReminderSettings
from bot.domain.reminder_plan import reschedule
from bot.domain.replies import Button, Line, Say, button, say
from bot.domain.schedule import parse_days, parse_hours, parse_time, settings_summary
from bot.domain.timezones import find_zone, parse_offset, zone_from_local_time

COMMON_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "19:00", "20:00", "21:00")
WEEKDAYS = (0, 1, 2, 3, 4)
WEEKENDS = (5, 6)


class ReminderState(StrEnum):
    """Where a person is in the reminder settings."""

    MENU = "menu"
    TIME = "time"
    DAYS = "days"
    ZONE = "zone"
    QUIET = "quiet"
    DONE = "done"


R = ReminderState


def begin(ctx: Context) -> None:
    """Open the settings, coming back home afterwards."""
    ctx.person.conversation = Conversation("reminders", R.MENU.value, {},
                                           ctx.person.conversation.revision)


def _text(event: Event) -> str:
    return event.text if isinstance(event, Text) else ""


def _changed(ctx: Context, change: Callable[[], None], saved: Say | None = None) -> Step[R]:
    # Every change replans the reminder rows (the old ones are kept, cancelled): bounded.
    if not allowance.take(ctx.person, "reminder_change", ctx.now):
        return Step(R.MENU, [say("reminders.change_cap")])
    change()
    reschedule(ctx.person, ctx.now)
    return Step(R.MENU, [saved or say("reminders.saved")])


def choose(ctx: Context, event: Event) -> Step[R]:
    """A menu button: which setting to change (or pause, resume, done)."""
    choice = event.arg if isinstance(event, Press) else ""
    settings = ctx.person.reminder_settings
    if choice in ("pause", "resume"):
        return _changed(ctx, lambda: setattr(settings, "paused", choice == "pause"))
    ctx.person.conversation.data["field"] = "checkin" if choice == "checkin" else "session"
    if choice in ("time", "checkin") and settings.time_zone is None:
        ctx.person.conversation.data["then"] = "time"
        return Step(R.ZONE, [say("reminders.zone_first")])
    if choice == "checkin":
        return Step(R.TIME)
    targets = {"time": R.TIME, "days": R.DAYS, "zone": R.ZONE, "quiet": R.QUIET, "done": R.DONE}
    return Step(targets.get(choice, R.MENU))


def typed_menu(ctx: Context, event: Event) -> Step[R]:
    """A typed time straight away sets it; anything else shows the menu again."""
    if (parse_time(_text(event), ctx.catalog.times) is not None
            and ctx.person.reminder_settings.time_zone):
        return set_time(ctx, event)
    return Step(R.MENU, [say("common.use_buttons")])


def set_time(ctx: Context, event: Event) -> Step[R]:
    """The daily session reminder (or check-in prompt) time, from a button or typed, or off."""
    settings = ctx.person.reminder_settings
    field = "checkin_time" if ctx.person.conversation.data.get("field") == "checkin" \
        else "session_time"
    if isinstance(event, Press) and event.arg == "off":
        return _changed(ctx, lambda: setattr(settings, field, None))
    value = _parse_hhmm(event.arg) if isinstance(event, Press) else parse_time(
        _text(event), ctx.catalog.times)
    if value is None:
        return Step(R.TIME, [say("reminders.time_help")])
    return _changed(ctx, lambda: setattr(settings, field, value))


def set_days(ctx: Context, event: Event) -> Step[R]:
    """Which days: every day, weekdays, weekends, or typed ('mon wed fri')."""
    presets = {"all": ALL_DAYS, "weekdays": WEEKDAYS, "weekends": WEEKENDS}
    if isinstance(event, Press):
        days: tuple[int, ...] | None = presets.get(event.arg)
    else:
        days = parse_days(_text(event), ctx.catalog.days)
    if not days:
        return Step(R.DAYS, [say("reminders.days_help")])
    chosen = days
    return _changed(ctx, lambda: setattr(ctx.person.reminder_settings, "days", chosen))


def zone_from_answer(ctx: Context, event: Event) -> str | None:
    """A time zone from a shared location, a typed city or offset, or their time now."""
    if isinstance(event, LocationShared):
        return event.zone
    text = _text(event)
    found = find_zone(text, ctx.catalog.places) or parse_offset(text)
    their_time = parse_time(text, ctx.catalog.times) if found is None else None
    return zone_from_local_time(ctx.now, their_time) if their_time is not None else found


def set_zone(ctx: Context, event: Event) -> Step[R]:
    """A shared location, a typed city or UTC offset, or the time it is for them now."""
    found = zone_from_answer(ctx, event)
    if found is None:
        return Step(R.ZONE, [say("reminders.zone_help")])
    if ctx.person.conversation.data.get("then") == "time":  # planned once the time is set
        ctx.person.conversation.data.pop("then")
        ctx.person.reminder_settings.time_zone = found
        return Step(R.TIME, [say("reminders.zone_saved", zone=found)])
    return _changed(ctx, lambda: setattr(ctx.person.reminder_settings, "time_zone", found),
                    say("reminders.zone_saved", zone=found))


def set_quiet(ctx: Context, event: Event) -> Step[R]:
    """Quiet hours: none, the usual night, or typed '22:00-07:00'."""
    settings = ctx.person.reminder_settings
    if isinstance(event, Press):
        window = {"none": (None, None), "night": (time(22), time(8))}.get(event.arg)
    else:
        window = parse_hours(_text(event), ctx.catalog.times)
    if window is None:
        return Step(R.QUIET, [say("reminders.quiet_help")])
    start, end = window
    return _changed(ctx, lambda: _set_quiet_hours(settings, start, end))


def _set_quiet_hours(settings: ReminderSettings, start: time | None, end: time | None) -> None:
    settings.quiet_start, settings.quiet_end = start, end


def back(ctx: Context, event: Event) -> Step[R]:
    """Back to the menu without changing anything."""
    return Step(R.MENU)


def _parse_hhmm(text: str) -> time | None:
    if len(text) != 4 or not text.isdigit():
        return None
    hours, minutes = int(text[:2]), int(text[2:])
    return time(hours, minutes) if hours < 24 and minutes < 60 else None


def menu(ctx: Context) -> Say:
    """The settings in plain words, with a button for each thing to change."""
    settings = ctx.person.reminder_settings
    summary = settings_summary(settings)
    if settings.session_time is None or settings.time_zone is None:
        key = "reminders.summary_off"
    else:
        key = "reminders.summary_paused" if settings.paused else "reminders.summary_on"
    pause = ("resume", "reminders.btn_resume") if settings.paused else (
        "pause", "reminders.btn_pause")
    rows: tuple[tuple[Button, ...], ...] = (
        (button("reminders.btn_time", "choose", "time"),
         button("reminders.btn_days", "choose", "days")),
        (button("reminders.btn_zone", "choose", "zone"),
         button("reminders.btn_quiet", "choose", "quiet")),
        (button("reminders.btn_checkin", "choose", "checkin"),),
        (button(pause[1], "choose", pause[0]), button("reminders.btn_done", "choose", "done")),
    )
    checkin = Line("reminders.checkin_at", {"time": summary["checkin"]}) if summary.get(
        "checkin") else Line("reminders.checkin_off")
    return Say((Line(key, {"time": summary.get("time", ""), "days": summary.get("days", ""),
                           "zone": summary.get("zone", "")}), checkin), rows)


def _time_prompt(ctx: Context) -> Say:
    if ctx.person.conversation.data.get("field") == "checkin":
        return _clock_prompt("reminders.checkin_time", "reminders.btn_no_checkin")
    return _clock_prompt("reminders.time", "reminders.btn_off")


def _clock_prompt(key: str, off_key: str) -> Say:
    # Callback data allows no colon: "07:00" travels as "0700".
    picks = [button("reminders.btn_clock", "time", value.replace(":", ""), value=value)
             for value in COMMON_TIMES]
    rows = [tuple(picks[i:i + 4]) for i in range(0, len(picks), 4)]
    rows.append((button(off_key, "time", "off"), button("onboarding.btn_back", "back")))
    return say(key, tuple(rows))


def _days_prompt(ctx: Context) -> Say:
    return say("reminders.days", (
        (button("reminders.btn_every_day", "days", "all"),),
        (button("reminders.btn_weekdays", "days", "weekdays"),
         button("reminders.btn_weekends", "days", "weekends")),
        (button("onboarding.btn_back", "back"),),
    ))


def _zone_prompt(ctx: Context) -> Say:
    return say("reminders.zone", ((button("onboarding.btn_back", "back"),),))


def _quiet_prompt(ctx: Context) -> Say:
    return say("reminders.quiet", (
        (button("reminders.btn_quiet_night", "quiet", "night"),),
        (button("reminders.btn_quiet_none", "quiet", "none"),),
        (button("onboarding.btn_back", "back"),),
    ))


REMINDERS: Flow[R] = Flow(
    name="reminders",
    states=R,
    initial=R.MENU,
    final=frozenset({R.DONE}),
    table=(
        row(R.MENU, "choose", choose, R.MENU, R.TIME, R.DAYS, R.ZONE, R.QUIET, R.DONE),
        row(R.MENU, "text", typed_menu, R.MENU),
        row(R.MENU, "location", set_zone, R.MENU, R.TIME, R.ZONE),
        row(R.TIME, "time", set_time, R.MENU, R.TIME),
        row(R.TIME, "text", set_time, R.MENU, R.TIME),
        row(R.TIME, "back", back, R.MENU),
        row(R.DAYS, "days", set_days, R.MENU, R.DAYS),
        row(R.DAYS, "text", set_days, R.MENU, R.DAYS),
        row(R.DAYS, "back", back, R.MENU),
        row(R.ZONE, "text", set_zone, R.MENU, R.TIME, R.ZONE),
        row(R.ZONE, "location", set_zone, R.MENU, R.TIME, R.ZONE),
        row(R.ZONE, "back", back, R.MENU),
        row(R.QUIET, "quiet", set_quiet, R.MENU, R.QUIET),
        row(R.QUIET, "text", set_quiet, R.MENU, R.QUIET),
        row(R.QUIET, "back", back, R.MENU),
    ),
    prompts={R.MENU: menu, R.TIME: _time_prompt, R.DAYS: _days_prompt, R.ZONE: _zone_prompt,
             R.QUIET: _quiet_prompt, R.DONE: lambda ctx: say("reminders.done")},
)
