"""What the bot says when a reminder falls due, and what its buttons do from any state."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.events import Press, ReminderDue
from bot.domain.fsm import Context
from bot.domain.model import Reminder
from bot.domain.reminder_plan import DAILY_KINDS, add_nudge, cancel, schedule_next_after
from bot.domain.replies import Button, Line, Reply, Say, Toast, button, say

ACTIONS = frozenset({"rem_start", "rem_snooze", "rem_skip", "rem_checkin"})
SNOOZE_KIND = "session_snooze"


def _session_buttons() -> tuple[tuple[Button, ...], ...]:
    return (
        (button("reminders.btn_start_now", "rem_start"),),
        (button("reminders.btn_snooze", "rem_snooze", "15", minutes=15),
         button("reminders.btn_snooze_hour", "rem_snooze", "60")),
        (button("reminders.btn_skip_today", "rem_skip"),),
    )


def reminder_due(ctx: Context, event: ReminderDue) -> list[Reply]:
    """Say the reminder (or only note it missed) and plan what comes after it."""
    person = ctx.person
    if person.inactive:
        return []  # they blocked the bot: nothing more until they write again
    if event.kind in DAILY_KINDS:
        schedule_next_after(person, event.kind, max(event.fire_at, ctx.now))
    if event.missed:
        return []
    if event.kind in ("session", SNOOZE_KIND):
        if event.kind == "session":
            add_nudge(person, ctx.now)
        return [Say((Line("reminders.session_due"),), _session_buttons())]
    if event.kind == "session_nudge":
        if _session_started_since(ctx, event.fire_at - timedelta(hours=2)):
            return []
        return [Say((Line("reminders.nudge"),), _session_buttons())]
    if event.kind == "checkin":
        return [say("reminders.checkin_due", ((button("reminders.btn_checkin_now",
                                                      "rem_checkin"),),))]
    return []


def _session_started_since(ctx: Context, since: datetime) -> bool:
    session = ctx.person.session
    return session is not None and session.started_at >= since


def pressed(ctx: Context, press: Press) -> tuple[list[Reply], str | None]:
    """A reminder's button. Returns replies, and a command to run next ('exercise'...)."""
    person = ctx.person
    if press.action == "rem_start":
        cancel(person, "session_nudge")
        cancel(person, SNOOZE_KIND)
        return [], "exercise"
    if press.action == "rem_checkin":
        return [], "checkin"
    if press.action == "rem_snooze":
        minutes = 60 if press.arg == "60" else 15
        cancel(person, "session_nudge")
        cancel(person, SNOOZE_KIND)
        person.reminders.append(Reminder(SNOOZE_KIND, ctx.now + timedelta(minutes=minutes)))
        return [Toast(Line("reminders.snoozed", {"minutes": minutes})),
                say("reminders.snoozed", minutes=minutes)], None
    cancel(person, "session_nudge")
    cancel(person, SNOOZE_KIND)
    return [Toast(Line("reminders.skipped")), say("reminders.skipped")], None
