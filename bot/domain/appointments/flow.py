"""/appointment, as one table: the date, the time and with whom; reminders follow from it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.engine.events import LocationShared, Press, Text
from bot.domain.engine.fsm import LOCATION, TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Button, Line, Param, Say, button, say
from bot.domain.limits import allowance
from bot.domain.model import Appointment, Conversation, Person, Reminder, ReminderKind
from bot.domain.reminders.plan import cancel
from bot.domain.reminders.schedule import parse_time, wall_to_utc
from bot.domain.reminders.timezones import zone
from bot.domain.reminders.zone_answers import (
    ZoneAnswer,
    check_prompt,
    checked_guess,
    read_zone,
    zone_help,
)
from bot.domain.understanding.dates import read_date, said_date

KINDS: tuple[ReminderKind, ...] = ("appointment_3d", "appointment_1d", "visit_done")
REMIND_AT = time(9, 0)  # local time of the "your visit is in N days" reminders
ASK_AFTER = timedelta(hours=2)
VISIT_TIMES = ("08:30", "09:00", "10:00", "11:00", "14:00", "15:00", "16:00", "17:00")


class AppointmentState(StrEnum):
    """Where a person is in setting their next visit."""

    MENU = "menu"
    ZONE = "zone"
    ZONE_CHECK = "zone_check"
    DATE = "date"
    WHICH_DATE = "which_date"
    TIME = "time"
    WHO = "who"
    DONE = "done"




def begin(ctx: Context) -> None:
    """Open the appointment settings."""
    state = AppointmentState.MENU if ctx.person.appointment else (
        AppointmentState.DATE if ctx.person.reminder_settings.time_zone else AppointmentState.ZONE)
    ctx.person.conversation = Conversation("appointment", state.value, {},
                                           ctx.person.conversation.revision)


def schedule(person: Person, now: datetime) -> None:
    """Replace the pending appointment reminders with the ones for the current visit."""
    for kind in KINDS:
        cancel(person, kind)
    visit, zone_name = person.appointment, person.reminder_settings.time_zone
    if visit is None or zone_name is None:
        return
    local_day = visit.at.astimezone(zone(zone_name)).date()
    for kind, days in (("appointment_3d", 3), ("appointment_1d", 1)):
        moment = wall_to_utc(local_day - timedelta(days=days), REMIND_AT, zone_name)
        if moment > now:
            person.reminders.append(Reminder(kind, moment))
    person.reminders.append(Reminder("visit_done", visit.at + ASK_AFTER))


def describe(person: Person) -> dict[str, Param]:
    """The visit's date, time and who, for a sentence."""
    visit, zone_name = person.appointment, person.reminder_settings.time_zone
    if visit is None or zone_name is None:
        return {"date": "", "time": "", "who": ""}
    local = visit.at.astimezone(zone(zone_name))
    who = Line("appointments.with", {"who": visit.with_whom}) if visit.with_whom else ""
    return {"date": said_date("date.visit", local.date()), "time": local.strftime("%H:%M"),
            "who": who}



def menu_choice(ctx: Context, event: Press) -> Step[AppointmentState]:
    """Change the visit, remove it, or leave."""
    choice = event.arg
    if choice == "remove":
        if not allowance.take(ctx.person, "reminder_change", ctx.now):
            return Step(AppointmentState.DONE, [say("reminders.change_cap")])
        ctx.person.appointment = None
        schedule(ctx.person, ctx.now)
        return Step(AppointmentState.DONE, [say("appointments.removed")])
    if choice == "change":
        return Step(AppointmentState.DATE if ctx.person.reminder_settings.time_zone
                    else AppointmentState.ZONE)
    return Step(AppointmentState.DONE)


def set_zone(ctx: Context, event: Text | LocationShared) -> Step[AppointmentState]:
    """The time zone first: a visit's time means nothing without it. A zone guessed from
    their clock is asked about first."""
    answer = read_zone(ctx, event)
    if answer.guessed:
        return Step(AppointmentState.ZONE_CHECK)
    if answer.zone is None:
        return Step(AppointmentState.ZONE, [zone_help(answer)])
    return _zone_saved(ctx, answer.zone)


def check_zone(ctx: Context, event: Text | Press | LocationShared) -> Step[AppointmentState]:
    """Yes saves the guessed zone; no asks again; anything else is a new answer."""
    verdict = checked_guess(ctx, event)
    if verdict is None:
        if isinstance(event, Press):  # a button that is neither yes nor no
            return Step(AppointmentState.ZONE, [zone_help(ZoneAnswer())])
        return set_zone(ctx, event)
    if not verdict:
        return Step(AppointmentState.ZONE, [say("reminders.zone_guess_wrong")])
    return _zone_saved(ctx, verdict)


def _zone_saved(ctx: Context, found: str) -> Step[AppointmentState]:
    ctx.person.reminder_settings.time_zone = found
    return Step(AppointmentState.DATE, [say("reminders.zone_saved", zone=found)])


def set_date(ctx: Context, event: Text | Press) -> Step[AppointmentState]:
    """The day of the visit, typed or from a button; never in the past. A date that may
    mean two days ('next tuesday' on a Monday) is asked about, with both as buttons."""
    tz = zone(ctx.person.reminder_settings.time_zone or "UTC+00:00")
    today = ctx.now.astimezone(tz).date()
    if isinstance(event, Press):
        found: tuple[date, ...] = (today + timedelta(days=int(event.arg)),) \
            if event.arg.isdigit() else ()
    else:
        found = read_date(event.text, today, ctx.catalog.dates,
                          month_first=ctx.person.country_code == "US")
    if not found:
        return Step(AppointmentState.DATE, [say("appointments.date_help")])
    if len(found) > 1:
        ctx.person.conversation.data["readings"] = [day.isoformat() for day in found]
        return Step(AppointmentState.WHICH_DATE)
    ctx.person.conversation.data["date"] = found[0].isoformat()
    return Step(AppointmentState.TIME)


def pick_date(ctx: Context, event: Press) -> Step[AppointmentState]:
    """One of the readings of an ambiguous date, from its button."""
    data = ctx.person.conversation.data
    readings = [str(day) for day in data.get("readings", [])]
    chosen = event.arg
    picked = next((day for day in readings if day.replace("-", "") == chosen), None)
    if picked is None:
        return Step(AppointmentState.WHICH_DATE)
    data.pop("readings", None)
    data["date"] = picked
    return Step(AppointmentState.TIME)


def set_time(ctx: Context, event: Text | Press) -> Step[AppointmentState]:
    """The time of the visit."""
    if isinstance(event, Press):
        typed = event.arg[:2] + ":" + event.arg[2:] if len(event.arg) == 4 else ""
    else:
        typed = event.text
    value = parse_time(typed, ctx.catalog.times)
    if value is None:
        return Step(AppointmentState.TIME, [say("reminders.time_help")])
    data = ctx.person.conversation.data
    day = date.fromisoformat(str(data.get("date")))
    at = wall_to_utc(day, value, ctx.person.reminder_settings.time_zone or "UTC+00:00")
    if at <= ctx.now:
        return Step(AppointmentState.DATE, [say("appointments.in_the_past")])
    data["at"] = at.isoformat()
    return Step(AppointmentState.WHO)


def set_who(ctx: Context, event: Text | Press) -> Step[AppointmentState]:
    """With whom (their words, kept short), then save and plan the reminders."""
    who = "" if isinstance(event, Press) else event.text.strip()[:120]
    data = ctx.person.conversation.data
    if not allowance.take(ctx.person, "reminder_change", ctx.now):  # each plans 3 reminders
        return Step(AppointmentState.DONE, [say("reminders.change_cap")])
    ctx.person.appointment = Appointment(datetime.fromisoformat(str(data["at"])), who)
    schedule(ctx.person, ctx.now)
    return Step(AppointmentState.DONE, [say("appointments.saved", (), **describe(ctx.person)),
                         say(_promise(ctx.person))])


def _promise(person: Person) -> str:
    """Which reminders before the visit are still to come: only those are promised."""
    planned = {r.kind for r in person.reminders if r.status == "pending"}
    if {"appointment_3d", "appointment_1d"} <= planned:
        return "appointments.remind_3d_and_1d"
    if "appointment_1d" in planned:
        return "appointments.remind_1d"
    return "appointments.remind_after"


def _menu(ctx: Context) -> Say:
    return say("appointments.menu", (
        (button("appointments.btn_change", "visit", "change"),),
        (button("appointments.btn_remove", "visit", "remove"),),
        (button("reminders.btn_done", "visit", "done"),),
    ), **describe(ctx.person))


def _date_prompt(ctx: Context) -> Say:
    rows: tuple[tuple[Button, ...], ...] = (
        (button("appointments.btn_tomorrow", "date", "1"),
         button("appointments.btn_in_a_week", "date", "7")),
    )
    return say("appointments.date", rows)


def _which_date_prompt(ctx: Context) -> Say:
    readings = [date.fromisoformat(str(day))
                for day in ctx.person.conversation.data.get("readings", [])]
    picks = tuple((button("appointments.btn_date", "pick_date", day.strftime("%Y%m%d"),
                          date=said_date("date.choice", day)),) for day in readings)
    return say("appointments.which_date", picks)


def _time_prompt(ctx: Context) -> Say:
    picks = [button("reminders.btn_clock", "time", v.replace(":", ""), value=v)
             for v in VISIT_TIMES]
    return say("appointments.time", tuple(tuple(picks[i:i + 4]) for i in range(0, 8, 4)))


APPOINTMENT: Flow[AppointmentState] = Flow(
    name="appointment",
    states=AppointmentState,
    initial=AppointmentState.MENU,
    final=frozenset({AppointmentState.DONE}),
    table=(
        row(AppointmentState.MENU, press("visit"), menu_choice, AppointmentState.DONE,
            AppointmentState.DATE, AppointmentState.ZONE),
        row(AppointmentState.ZONE, TEXT, set_zone, AppointmentState.DATE, AppointmentState.ZONE,
            AppointmentState.ZONE_CHECK),
        row(AppointmentState.ZONE, LOCATION, set_zone, AppointmentState.DATE,
            AppointmentState.ZONE),
        row(AppointmentState.ZONE_CHECK, press("zone_check"), check_zone, AppointmentState.DATE,
            AppointmentState.ZONE, AppointmentState.ZONE_CHECK),
        row(AppointmentState.ZONE_CHECK, TEXT, check_zone, AppointmentState.DATE,
            AppointmentState.ZONE, AppointmentState.ZONE_CHECK),
        row(AppointmentState.ZONE_CHECK, LOCATION, check_zone, AppointmentState.DATE,
            AppointmentState.ZONE, AppointmentState.ZONE_CHECK),
        row(AppointmentState.DATE, press("date"), set_date, AppointmentState.TIME,
            AppointmentState.DATE),
        row(AppointmentState.DATE, TEXT, set_date, AppointmentState.TIME, AppointmentState.DATE,
            AppointmentState.WHICH_DATE),
        row(AppointmentState.WHICH_DATE, press("pick_date"), pick_date, AppointmentState.TIME,
            AppointmentState.WHICH_DATE),
        row(AppointmentState.WHICH_DATE, TEXT, set_date, AppointmentState.TIME,
            AppointmentState.DATE, AppointmentState.WHICH_DATE),
        row(AppointmentState.TIME, press("time"), set_time, AppointmentState.WHO,
            AppointmentState.TIME, AppointmentState.DATE),
        row(AppointmentState.TIME, TEXT, set_time, AppointmentState.WHO, AppointmentState.TIME,
            AppointmentState.DATE),
        row(AppointmentState.WHO, press("skip_who"), set_who, AppointmentState.DONE),
        row(AppointmentState.WHO, TEXT, set_who, AppointmentState.DONE),
    ),
    prompts={
        AppointmentState.MENU: _menu,
        AppointmentState.ZONE: lambda ctx: say("reminders.zone"),
        AppointmentState.ZONE_CHECK: check_prompt,
        AppointmentState.DATE: _date_prompt,
        AppointmentState.WHICH_DATE: _which_date_prompt,
        AppointmentState.TIME: _time_prompt,
        AppointmentState.WHO: lambda ctx: say("appointments.who", (
            (button("appointments.btn_skip_who", "skip_who"),),)),
        AppointmentState.DONE: lambda ctx: say("appointments.done"),
    },
)
