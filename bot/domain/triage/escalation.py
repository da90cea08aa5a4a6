"""What the bot does with a warning sign: the four levels, the person's own pain baseline,
and the records and follow-ups every escalation leaves behind."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.engine import detour
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Line, Reply, Say, button, say
from bot.domain.limits import allowance
from bot.domain.model import EndReason, FollowUp, PainRating, TriageRecord, TriageSource
from bot.domain.questions import faq_answer
from bot.domain.reminders import plan as reminder_plan
from bot.domain.triage import About, Decision, Level

FOLLOW_UP_AFTER = timedelta(days=1)
BASELINE_DAYS = 14
WORSE_BY_POINTS = 2
WORSE_BY_SHARE = 0.3
SHARE_APPLIES_FROM = 3  # below this, 30% is less than a point: the 2-point rule decides
HIGH_PAIN = 8

# What is kept of a message: all of it (Telegram allows 4096 characters in one message).
KEPT = 4096

# In Session.advised: this session has told the person to call their doctor.
CALL_DOCTOR_ADVISED = "call_doctor"


def baseline(recent: list[PainRating], now: datetime) -> float | None:
    """The person's usual pain: the median of their ratings in the last two weeks."""
    since = now - timedelta(days=BASELINE_DAYS)
    values = [r.rating for r in recent if r.at >= since and r.moment != "during"]
    return statistics.median(values) if len(values) >= 2 else None


def worse_than(rating: int, usual: float | None) -> bool:
    """Up by 2 points, or by 30% where 30% is at least a point, from the usual level."""
    if usual is None:
        return False
    if rating - usual >= WORSE_BY_POINTS:
        return True
    return usual >= SHARE_APPLIES_FROM and rating >= usual * (1 + WORSE_BY_SHARE)


SERIOUS = (Level.URGENT, Level.EMERGENCY)


def record(ctx: Context, level: Level, rule: str | None, source: TriageSource,
           text: str | None = None, follow_up: bool = True) -> None:
    """Keep the decision for the person's export, and act on it: no same-day exercise
    ping after any sign, no exercise reminder for the rest of the day after an urgent or
    emergency one, and tomorrow's follow-up (none after a crisis: `follow_up=False`)."""
    version = ctx.catalog.triage.version if ctx.catalog.triage else "none"
    person = ctx.person
    person.new_triage_records.append(
        TriageRecord(ctx.now, level.label, rule, version, source, text))
    if level == Level.NONE:
        return
    reminder_plan.drop_same_day(person)
    if level in SERIOUS:
        reminder_plan.rest_today(person, ctx.now)
    session = person.session
    # The summary says what to do; later lines in the session are only a reminder.
    if (level == Level.CALL_DOCTOR and session is not None and session.status != "finished"
            and CALL_DOCTOR_ADVISED not in session.advised):
        session.advised.append(CALL_DOCTOR_ADVISED)
    current = person.follow_up
    if follow_up and (current is None or Level[current.level.upper()] <= level):
        # A more serious question still to come is kept: it asks how they are.
        person.follow_up = FollowUp(ctx.now + FOLLOW_UP_AFTER, level.label, rule)


def follow_up_is_serious(ctx: Context) -> bool:
    """True while tomorrow's question is about an urgent or emergency sign."""
    pending = ctx.person.follow_up
    return pending is not None and Level[pending.level.upper()] in SERIOUS


def ask_follow_up(ctx: Context) -> list[Reply]:
    """Ask the pending follow-up now. After an urgent or emergency sign it asks how they
    are (before any exercise is offered); after a call-your-doctor, whether they reached
    the doctor."""
    serious = follow_up_is_serious(ctx)
    ctx.person.follow_up = None
    allowance.open_buttons(ctx.person, "follow_up")  # its buttons work from any state, once
    kind = "serious" if serious else ""
    key = "triage.follow_up_serious" if serious else "triage.follow_up"
    labels = "triage.btn_fu_serious_" if serious else "triage.btn_fu_"
    return [say(key, (
        (button(labels + "reached", "fu_reached", kind),),
        (button(labels + "not_yet", "fu_not_yet", kind),),
        (button("triage.btn_fu_better", "fu_better", kind),),
    ))]


def rest_lines(ctx: Context) -> tuple[Line, ...]:
    """What happens next after an urgent or emergency sign, said only when it is true:
    today's reminders are held back, and tomorrow's question (stored only after consent)."""
    lines: list[Line] = []
    if reminder_plan.resting(ctx.person, ctx.now) and reminder_plan.reminders_on(ctx.person):
        lines.append(Line("triage.reminders_held"))
    if ctx.person.has_consented and not ctx.person.forget and follow_up_is_serious(ctx):
        lines.append(Line("triage.ask_tomorrow"))
    return tuple(lines)


def emergency_message(ctx: Context) -> Say:
    """Seek care now: the number for their country, and not to wait for the bot."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return say("triage.emergency", ((button("triage.btn_seen", "seen"),),), number=number)


def urgent_message(ctx: Context) -> Say:
    """Get medical help today, no exercises today, and a button to carry on once read."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return Say((Line("triage.urgent", {"number": number}), *rest_lines(ctx)),
               ((button("triage.btn_understood", "understood"),),))


def call_doctor_offer(ctx: Context) -> Say:
    """Call your doctor, and the offer to keep what they said as a question for the visit
    (not before consent: nothing would be kept)."""
    if not ctx.person.has_consented:
        return say("triage.call_doctor_only",
                   ((button("triage.btn_understood", "no_thanks"),),))
    return say("triage.call_doctor", (
        (button("triage.btn_save_question", "save_question"),),
        (button("triage.btn_no_thanks", "no_thanks"),),
    ))


def crisis_line(ctx: Context) -> Line:
    """The country's crisis line in words, or where to find one."""
    line = ctx.catalog.crisis_line(ctx.person.country_code)
    if line is None:
        return Line("triage.crisis_no_line")
    return Line("triage.crisis_line", {"name": line.name, "number": line.number})


def crisis_message(ctx: Context) -> Say:
    """Thoughts of suicide or self-harm: kind words, a crisis line, the emergency number."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return say("triage.crisis", ((button("triage.btn_read", "seen"),),),
               line=crisis_line(ctx), number=number)


def for_someone_message(ctx: Context) -> Say:
    """Someone else's emergency: the number to call for them, now."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    key = ("triage.someone_crisis" if ctx.person.conversation.data.get("kind") == "crisis"
           else "triage.someone_emergency")
    return say(key, ((button("triage.btn_called", "called"),),),
               line=crisis_line(ctx), number=number)


def language_notice(ctx: Context) -> Say:
    """A message in a language the bot cannot read: which it can, and the number to call."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    triage = ctx.catalog.triage
    names = ", ".join(triage.language_names) if triage else "English"
    return say("triage.unreadable", languages=names, number=number)


def safety_information(ctx: Context, decision: Decision) -> Say:
    """About someone else, or 'what if': what to do, without escalating for this person."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    key = {Level.EMERGENCY: "triage.info_emergency",
           Level.URGENT: "triage.info_urgent"}.get(decision.candidate, "triage.info_doctor")
    return say(key, number=number)


def confirm_question_for(rule: str) -> Say:
    """They sounded unsure: a yes/no question about that one sign."""
    return say("triage.confirm", (
        (button("triage.btn_yes", "confirm", "yes"), button("triage.btn_no", "confirm", "no")),
    ), sign=Line(f"triage.sign.{rule}"))


def divert(ctx: Context, state: str, data: dict[str, object]) -> None:
    """Move into the triage flow, remembering where to come back to.

    A session is paused (or, for an emergency, ended), so no hold runs on unattended.
    """
    detour.enter(ctx, "triage", state, data)


def end_session(ctx: Context, reason: EndReason = "emergency") -> None:
    """An emergency (or a crisis) stops any running session at once."""
    session = ctx.person.session
    if session is not None and session.status != "finished":
        session.hold = None
        session.status = "finished"
        session.ended_at = ctx.now
        session.end_reason = reason


@dataclass(frozen=True)
class Screening:
    """What the warning-sign check says about one message before any flow reads it.

    `replies` replace the normal handling (a sign was found); with none, the flow reads the
    text as usual, and `unreadable` (a language the bot cannot read) asks the router to
    say so if the flow cannot use the text either ("España" is still a country).
    """

    replies: list[Reply] | None = None
    unreadable: str | None = None


def screen(ctx: Context, text: str, source: TriageSource = "message",
           least: Level = Level.NONE) -> Screening:
    """Check typed text for warning signs before anything else; signs below `least` (and
    information about other people's) are left to the flow: the words after "/ask" are a
    question to keep, whatever worry they hold, unless they are urgent or worse."""
    if ctx.catalog.triage is None:
        return Screening()
    decision = ctx.catalog.triage.decide(text)
    if decision.level < max(least, Level.CALL_DOCTOR) and least > Level.NONE:
        return Screening(None, decision.unreadable)
    # A question about the program that the triage sends to the doctor ("should it
    # hurt?") also gets the content's answer, before the call-your-doctor offer.
    answered = (faq_answer.alongside(ctx, decision.rule, text)
                if decision.level == Level.CALL_DOCTOR and not decision.needs_confirmation
                and decision.about == About.SELF else None)
    found = _act(ctx, decision, text[:KEPT], source)
    if found is not None and answered is not None:
        found = [answered, *found]
    if found is None and decision.unreadable:
        return Screening(None, decision.unreadable)
    return Screening(found)


def not_understood(ctx: Context, text: str, language: str, source: TriageSource = "message") -> Say:
    """A message in a language the bot cannot read, that no flow could use: say so, with
    the emergency number, and keep it as a decision of its own kind."""
    record(ctx, Level.NONE, f"unreadable:{language}", source, text[:KEPT])
    return language_notice(ctx)


def _act(ctx: Context, decision: Decision, kept: str, source: TriageSource) -> list[Reply] | None:
    notice: list[Reply] = [language_notice(ctx)] if decision.unreadable else []
    if decision.about == About.SOMEONE_ELSE and decision.level == Level.EMERGENCY:
        return [*notice, *for_someone_else(ctx, decision, source, kept)]
    if decision.about in (About.SOMEONE_ELSE, About.HYPOTHETICAL) and (
            decision.candidate > Level.NONE and decision.level == Level.NONE):
        record(ctx, Level.NONE, decision.rule, source, kept)
        return [*notice, safety_information(ctx, decision)]
    if decision.level == Level.NONE:
        return None
    if decision.response == "crisis":
        return [*notice, *crisis(ctx, decision.rule, source, kept)]
    if decision.needs_confirmation:
        divert(ctx, "confirm", {"level": decision.level.label, "rule": decision.rule,
                                "text": kept, "source": source})
        return [*notice, confirm_question_for(str(decision.rule))]
    return [*notice, *escalate(ctx, decision.level, decision.rule, source, kept)]


def crisis(ctx: Context, rule: str | None, source: TriageSource, text: str) -> list[Reply]:
    """The crisis answer: the session ends, and nothing afterwards leads back to exercise."""
    # No follow-up: "did you reach your doctor?" would be the wrong question.
    record(ctx, Level.EMERGENCY, rule, source, text, follow_up=False)
    end_session(ctx, "crisis")
    divert(ctx, "crisis", {"kind": "crisis", "text": text, "source": source})
    ctx.person.conversation.data["return_to"] = None
    return [crisis_message(ctx)]


def for_someone_else(ctx: Context, decision: Decision, source: TriageSource,
                     text: str) -> list[Reply]:
    """Someone else's emergency: say whom to call for them; any session waits, paused.

    Kept as a decision about someone else (level none for this person), so it is not
    counted among the person's own warning signs in their visit report.
    """
    record(ctx, Level.NONE, decision.rule, "someone_else", text)
    kind = "crisis" if decision.response == "crisis" else "someone_else"
    divert(ctx, "for_someone", {"kind": kind, "text": text, "source": source})
    return [for_someone_message(ctx)]


def escalate(ctx: Context, level: Level, rule: str | None, source: TriageSource,
             text: str | None = None) -> list[Reply]:
    """Act on a decided level: emergency, urgent or call_doctor."""
    state = act_on(ctx, level, rule, source, text)
    divert(ctx, state, {"kind": state, "text": text, "source": source})
    way_back(ctx, state)
    if state == "emergency":
        return [emergency_message(ctx)]
    return [urgent_message(ctx) if state == "urgent" else call_doctor_offer(ctx)]


def way_back(ctx: Context, state: str) -> None:
    """Where the person goes once they have read the advice: home after an urgent or
    emergency sign (never back to the exercises); into a session only through the question
    whether the pain is mild, after a call-your-doctor."""
    data = ctx.person.conversation.data
    if state in ("emergency", "urgent"):
        data["return_to"] = None
        return
    back = data.get("return_to")
    session = ctx.person.session
    if back and back.get("flow") == "session" and session is not None \
            and session.status != "finished":
        data["return_to"] = {"flow": "session", "state": "mild", "data": {}}


def act_on(ctx: Context, level: Level, rule: str | None, source: TriageSource,
           text: str | None = None) -> str:
    """Record the decision (and stop any session for an emergency); the triage state to show."""
    record(ctx, level, rule, source, text)
    if level == Level.EMERGENCY:
        end_session(ctx)
        return "emergency"
    return "urgent" if level == Level.URGENT else "save_offer"

