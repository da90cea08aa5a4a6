"""What /reminders says on entering each state: the settings in plain words, and the pickers."""

from __future__ import annotations

from datetime import time

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Line, Say, button, say
from bot.domain.reminders.quiet_hours import hidden
from bot.domain.reminders.schedule import settings_summary

COMMON_TIMES = ("07:00", "08:00", "09:00", "12:00", "18:00", "19:00", "20:00", "21:00")


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
    quiet = Line("reminders.quiet_none") if settings.quiet_start is None or \
        settings.quiet_end is None else Line("reminders.quiet_at", {
            "start": _clock(settings.quiet_start), "end": _clock(settings.quiet_end)})
    return Say((Line(key, {"time": summary.get("time", ""), "days": summary.get("days", ""),
                           "zone": summary.get("zone", "")}), checkin, quiet), rows)


def done(ctx: Context) -> Say:
    """What will actually be sent from now on: never a promise when reminders are off."""
    settings = ctx.person.reminder_settings
    summary = settings_summary(settings)
    if settings.paused:
        return say("reminders.done_paused")
    checkin = summary["checkin"] if settings.time_zone else ""
    if settings.session_time is None or settings.time_zone is None:
        return say("reminders.done_checkin_only", time=checkin) if checkin else say(
            "reminders.done_off")
    lines = [Line("reminders.done_on", {"days": summary["days"], "time": summary["time"]})]
    if checkin:
        lines.append(Line("reminders.done_checkin", {"time": checkin}))
    return Say(tuple(lines))


def clash_prompt(ctx: Context) -> Say:
    """A daily reminder inside the quiet hours: say when it would come, offer to move one."""
    settings = ctx.person.reminder_settings
    field = hidden(settings)
    if field is None or settings.quiet_start is None or settings.quiet_end is None:
        return menu(ctx)
    wall, start, end = (_clock(getattr(settings, field)), _clock(settings.quiet_start),
                        _clock(settings.quiet_end))
    rows: list[tuple[Button, ...]] = [
        (button("reminders.btn_clash_move_reminder", "clash", "reminder", time=end),)]
    if wall != start:  # ending the quiet hours where they start would leave none
        rows.append((button("reminders.btn_clash_move_quiet", "clash", "quiet", time=wall),))
    rows.append((button("reminders.btn_clash_keep", "clash", "keep", time=end),))
    what = Line("reminders.what_checkin" if field == "checkin_time" else "reminders.what_session")
    return say("reminders.clash", tuple(rows), what=what, time=wall, start=start, end=end)


def _clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def time_prompt(ctx: Context) -> Say:
    """The clock picker, for the session reminder or the check-in prompt."""
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


def days_prompt(ctx: Context) -> Say:
    """Every day, weekdays or weekends."""
    return say("reminders.days", (
        (button("reminders.btn_every_day", "days", "all"),),
        (button("reminders.btn_weekdays", "days", "weekdays"),
         button("reminders.btn_weekends", "days", "weekends")),
        (button("onboarding.btn_back", "back"),),
    ))


def zone_prompt(ctx: Context) -> Say:
    """The ways to give a time zone."""
    return say("reminders.zone", ((button("onboarding.btn_back", "back"),),))


def quiet_prompt(ctx: Context) -> Say:
    """The usual night, none, or typed."""
    return say("reminders.quiet", (
        (button("reminders.btn_quiet_night", "quiet", "night"),),
        (button("reminders.btn_quiet_none", "quiet", "none"),),
        (button("onboarding.btn_back", "back"),),
    ))
