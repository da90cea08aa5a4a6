"""What the bot says when a reminder falls due, and what its buttons do from any state."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.appointments.flow import describe
from bot.domain.engine.events import Press, ReminderDue
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Line, Reply, Say, Toast, button, say
from bot.domain.limits import allowance
from bot.domain.model import Reminder, ReminderKind
from bot.domain.reminders.plan import DAILY_KINDS, add_nudge, cancel, resting, schedule_next_after
from bot.domain.triage import escalation

ACTIONS = frozenset({"rem_start", "rem_snooze", "rem_skip", "rem_checkin", "rem_questions",
                     "rem_answered", "rem_not_yet"})
SNOOZE_KIND: ReminderKind = "session_snooze"
# Reminders that invite to exercise (or to a check-in before one): held back on the day
# of an urgent or emergency sign.
EXERCISE_KINDS = frozenset({"session", SNOOZE_KIND, "session_nudge", "checkin"})
# Each press is checked against the latest unanswered message of its family (its
# revision, bot/domain/allowance.py): these buttons work from any state, so the
# conversation's revision cannot tell a stale or forged press, but this can.
FAMILY = {"rem_start": "session_reminder", "rem_snooze": "session_reminder",
          "rem_skip": "session_reminder", "rem_checkin": "checkin_reminder",
          "rem_questions": "visit_soon", "rem_answered": "visit_done",
          "rem_not_yet": "visit_done"}


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
    if event.missed or (event.kind in EXERCISE_KINDS and resting(person, ctx.now)):
        return []  # missed, or held back on the day of a serious warning sign
    if event.kind == "session" and escalation.follow_up_is_serious(ctx):
        # The day after an urgent or emergency sign: how are they, before any exercise.
        return escalation.ask_follow_up(ctx)
    if event.kind in ("session", SNOOZE_KIND):
        if event.kind == "session":
            add_nudge(person, ctx.now)
        allowance.open_buttons(person, "session_reminder")
        return [Say((Line("reminders.session_due"),), _session_buttons())]
    if event.kind == "session_nudge":
        if _session_started_since(ctx, event.fire_at - timedelta(hours=2)):
            return []
        allowance.open_buttons(person, "session_reminder")
        return [Say((Line("reminders.nudge"),), _session_buttons())]
    if event.kind == "checkin":
        allowance.open_buttons(person, "checkin_reminder")
        return [say("reminders.checkin_due", ((button("reminders.btn_checkin_now",
                                                      "rem_checkin"),),))]
    return _about_the_visit(ctx, event.kind)


def _about_the_visit(ctx: Context, kind: str) -> list[Reply]:
    if ctx.person.appointment is None:
        return []  # removed since: nothing to remind about
    visit = describe(ctx.person)
    if kind in ("appointment_3d", "appointment_1d"):
        allowance.open_buttons(ctx.person, "visit_soon")
        key = "appointments.in_3_days" if kind == "appointment_3d" else "appointments.tomorrow"
        return [say(key, ((button("appointments.btn_see_questions", "rem_questions"),),),
                    **visit)]
    if kind == "visit_done":
        allowance.open_buttons(ctx.person, "visit_done")
        return [say("appointments.after_visit", (
            (button("appointments.btn_answered", "rem_answered"),),
            (button("appointments.btn_not_yet", "rem_not_yet"),),
        ), **visit)]
    return []


def _session_started_since(ctx: Context, since: datetime) -> bool:
    session = ctx.person.session
    return session is not None and session.started_at >= since


def pressed(ctx: Context, press: Press) -> tuple[list[Reply], str | None]:
    """A reminder's button. Returns replies, and a command to run next ('exercise'...).

    A press on an older or answered reminder (or a forged one) changes nothing."""
    person = ctx.person
    family = FAMILY[press.action]
    if not allowance.is_live(person, family, press.revision):
        return [Toast(Line("common.already_answered"))], None
    if press.action == "rem_questions":
        # Stays live until the visit: the export may be wanted again (its cooldown, in
        # /export, bounds how often).
        return [], "export"
    if press.action == "rem_snooze" and resting(person, ctx.now):
        cancel(person, "session_nudge")
        cancel(person, SNOOZE_KIND)
        return [Toast(Line("triage.noted")), say("reminders.resting")], None
    allowance.close(person, family)
    if press.action == "rem_start":
        cancel(person, "session_nudge")
        cancel(person, SNOOZE_KIND)
        return [], "exercise"
    if press.action == "rem_checkin":
        return [], "checkin"
    if press.action in ("rem_answered", "rem_not_yet"):
        if press.action == "rem_answered":
            for question in person.questions:
                if question.answered_at is None:
                    question.answered_at = ctx.now
        person.appointment = None  # the visit is over; /appointment sets the next one
        key = "appointments.marked" if press.action == "rem_answered" else "appointments.kept"
        return [Toast(Line("triage.noted")), say(key)], None
    if press.action == "rem_snooze":
        minutes = 60 if press.arg == "60" else 15
        if not allowance.take(person, "snooze", ctx.now):
            count = allowance.DAILY_CAPS["snooze"]
            return [Toast(Line("reminders.snooze_cap_short")),
                    say("reminders.snooze_cap", count=count)], None
        cancel(person, "session_nudge")
        cancel(person, SNOOZE_KIND)
        person.reminders.append(Reminder(SNOOZE_KIND, ctx.now + timedelta(minutes=minutes)))
        # No notice on the button as well: it showed the same words a second time.
        return [say("reminders.snoozed", minutes=minutes)], None
    cancel(person, "session_nudge")
    cancel(person, SNOOZE_KIND)
    return [say("reminders.skipped")], None
