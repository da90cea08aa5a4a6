"""After a warning sign in typed text: confirm when unsure, then the level's message.

Reached only through escalation.screen(), which remembers where the person came from;
reaching DONE takes them back there (home after an emergency or a crisis, with no
invitation to exercise). Someone else's emergency says whom to call for them; thoughts of
suicide or self-harm get the crisis answer, never anything about the back.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Line, Say, say
from bot.domain.questions import book as question_book
from bot.domain.triage import Level, escalation
from bot.domain.understanding.typing_help import normalise


class TriageState(StrEnum):
    """Where a person is after a warning sign."""

    CONFIRM = "confirm"
    EMERGENCY = "emergency"
    CRISIS = "crisis"
    FOR_SOMEONE = "for_someone"
    URGENT = "urgent"
    SAVE_OFFER = "save_offer"
    DONE = "done"




def _answer(ctx: Context, event: Text | Press) -> str | None:
    if isinstance(event, Press):
        return event.arg
    text = normalise(event.text)
    for group in ("yes", "unsure", "no"):
        if ctx.catalog.is_word(group, text):
            return group
    return None


def confirmed(ctx: Context, event: Text | Press) -> Step[TriageState]:
    """Yes (or not sure: when in doubt, escalate) acts on the sign; no goes back."""
    answer = _answer(ctx, event)
    data = ctx.person.conversation.data
    if answer in ("yes", "unsure"):
        level = Level[str(data.get("level", "call_doctor")).upper()]
        state = escalation.act_on(ctx, level, data.get("rule"), data.get("source", "message"),
                                  data.get("text"))
        data["kind"] = state
        escalation.way_back(ctx, state)
        return Step(TriageState(state))
    if answer == "no":
        escalation.record(ctx, Level.NONE, data.get("rule"), data.get("source", "message"),
                          data.get("text"))
        return Step(TriageState.DONE, [say("triage.not_confirmed")])
    return Step(TriageState.CONFIRM, [say("triage.yes_or_no")])


def seen(ctx: Context, event: Press) -> Step[TriageState]:
    """They saw the emergency message; the bot stays available."""
    return Step(TriageState.DONE)


def emergency_text(ctx: Context, event: Text) -> Step[TriageState]:
    """Anything typed after an emergency message: say it once more, briefly."""
    return Step(TriageState.EMERGENCY)


def crisis_text(ctx: Context, event: Text) -> Step[TriageState]:
    """Anything typed after the crisis answer: the lines once more, kindly and briefly."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return Step(TriageState.CRISIS, [say("triage.crisis_again", line=escalation.crisis_line(ctx),
                                number=number)], prompt="none")


def called(ctx: Context, event: Press) -> Step[TriageState]:
    """They called for the other person."""
    return Step(TriageState.DONE)


def someone_text(ctx: Context, event: Text) -> Step[TriageState]:
    """Anything typed after someone else's emergency: the number once more."""
    return Step(TriageState.FOR_SOMEONE)


def understood(ctx: Context, event: Text | Press) -> Step[TriageState]:
    """The urgent advice was read."""
    return Step(TriageState.DONE)


def save_question(ctx: Context, event: Text | Press) -> Step[TriageState]:
    """Keep what they said as a question for the next visit."""
    if not ctx.person.has_consented:  # nothing is stored yet: promise nothing
        return Step(TriageState.DONE)
    data = ctx.person.conversation.data
    source = str(data.get("source") or "message")
    context = ";".join(filter(None, (question_book.context_of(ctx), f"from={source}")))
    text, shortened = question_book.fit(str(data.get("text") or ""))
    added = question_book.add_question(ctx, text, context)
    if isinstance(added, question_book.Refusal):
        return Step(TriageState.DONE, [Say((added.line,))])
    notes = [say("questions.shortened", limit=question_book.MAX_LENGTH)] if shortened else []
    return Step(TriageState.DONE, [say("triage.question_saved"), *notes])


def no_thanks(ctx: Context, event: Text | Press) -> Step[TriageState]:
    """Not saved; back to where they were."""
    return Step(TriageState.DONE)


def typed_offer(ctx: Context, event: Text) -> Step[TriageState]:
    """'yes' saves, 'no' does not."""
    answer = _answer(ctx, event)
    if answer == "yes":
        return save_question(ctx, event)
    if answer in ("no", "unsure"):
        return no_thanks(ctx, event)
    return Step(TriageState.SAVE_OFFER, [say("triage.yes_or_no")])


_AFTERWARDS = {"crisis": "triage.after_crisis", "someone_else": "triage.after_someone",
               "emergency": "triage.after_emergency", "urgent": "triage.after_urgent"}


def _done_prompt(ctx: Context) -> Say:
    """After a crisis, an emergency or an urgent sign, no 'back to where we were': a word
    of care instead, and what happens to today's reminders and tomorrow."""
    kind = str(ctx.person.conversation.data.get("kind", ""))
    key = _AFTERWARDS.get(kind, "triage.back")
    if kind == "crisis":
        return say(key, line=escalation.crisis_line(ctx))
    if kind == "emergency":  # the urgent message itself said what happens next
        return Say((Line(key), *escalation.rest_lines(ctx)))
    return say(key)


def _confirm_prompt(ctx: Context) -> Say:
    rule = ctx.person.conversation.data.get("rule")
    return escalation.confirm_question_for(str(rule))


TRIAGE: Flow[TriageState] = Flow(
    name="triage",
    states=TriageState,
    initial=TriageState.CONFIRM,
    final=frozenset({TriageState.DONE}),
    table=(
        row(TriageState.CONFIRM, press("confirm"), confirmed, TriageState.EMERGENCY,
            TriageState.URGENT, TriageState.SAVE_OFFER, TriageState.DONE,
            TriageState.CONFIRM),
        row(TriageState.CONFIRM, TEXT, confirmed, TriageState.EMERGENCY, TriageState.URGENT,
            TriageState.SAVE_OFFER, TriageState.DONE,
            TriageState.CONFIRM),
        row(TriageState.EMERGENCY, press("seen"), seen, TriageState.DONE),
        row(TriageState.EMERGENCY, TEXT, emergency_text, TriageState.EMERGENCY),
        row(TriageState.CRISIS, press("seen"), seen, TriageState.DONE),
        row(TriageState.CRISIS, TEXT, crisis_text, TriageState.CRISIS),
        row(TriageState.FOR_SOMEONE, press("called"), called, TriageState.DONE),
        row(TriageState.FOR_SOMEONE, TEXT, someone_text, TriageState.FOR_SOMEONE),
        row(TriageState.URGENT, press("understood"), understood, TriageState.DONE),
        row(TriageState.URGENT, TEXT, understood, TriageState.DONE),
        row(TriageState.SAVE_OFFER, press("save_question"), save_question, TriageState.DONE),
        row(TriageState.SAVE_OFFER, press("no_thanks"), no_thanks, TriageState.DONE),
        row(TriageState.SAVE_OFFER, TEXT, typed_offer, TriageState.DONE, TriageState.SAVE_OFFER),
    ),
    prompts={
        TriageState.CONFIRM: _confirm_prompt,
        TriageState.EMERGENCY: escalation.emergency_message,
        TriageState.CRISIS: escalation.crisis_message,
        TriageState.FOR_SOMEONE: escalation.for_someone_message,
        TriageState.URGENT: escalation.urgent_message,
        TriageState.SAVE_OFFER: escalation.call_doctor_offer,
        TriageState.DONE: _done_prompt,
    },
)
