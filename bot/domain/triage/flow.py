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


T = TriageState


def _answer(ctx: Context, event: Text | Press) -> str | None:
    if isinstance(event, Press):
        return event.arg
    text = normalise(event.text)
    for group in ("yes", "unsure", "no"):
        if ctx.catalog.is_word(group, text):
            return group
    return None


def confirmed(ctx: Context, event: Text | Press) -> Step[T]:
    """Yes (or not sure: when in doubt, escalate) acts on the sign; no goes back."""
    answer = _answer(ctx, event)
    data = ctx.person.conversation.data
    if answer in ("yes", "unsure"):
        level = Level[str(data.get("level", "call_doctor")).upper()]
        state = escalation.act_on(ctx, level, data.get("rule"), data.get("source", "message"),
                                  data.get("text"))
        data["kind"] = state
        escalation.way_back(ctx, state)
        return Step(T(state))
    if answer == "no":
        escalation.record(ctx, Level.NONE, data.get("rule"), data.get("source", "message"),
                          data.get("text"))
        return Step(T.DONE, [say("triage.not_confirmed")])
    return Step(T.CONFIRM, [say("triage.yes_or_no")])


def seen(ctx: Context, event: Press) -> Step[T]:
    """They saw the emergency message; the bot stays available."""
    return Step(T.DONE)


def emergency_text(ctx: Context, event: Text) -> Step[T]:
    """Anything typed after an emergency message: say it once more, briefly."""
    return Step(T.EMERGENCY)


def crisis_text(ctx: Context, event: Text) -> Step[T]:
    """Anything typed after the crisis answer: the lines once more, kindly and briefly."""
    number = ctx.catalog.emergency_number(ctx.person.country_code)
    return Step(T.CRISIS, [say("triage.crisis_again", line=escalation.crisis_line(ctx),
                                number=number)], prompt="none")


def called(ctx: Context, event: Press) -> Step[T]:
    """They called for the other person."""
    return Step(T.DONE)


def someone_text(ctx: Context, event: Text) -> Step[T]:
    """Anything typed after someone else's emergency: the number once more."""
    return Step(T.FOR_SOMEONE)


def understood(ctx: Context, event: Text | Press) -> Step[T]:
    """The urgent advice was read."""
    return Step(T.DONE)


def save_question(ctx: Context, event: Text | Press) -> Step[T]:
    """Keep what they said as a question for the next visit."""
    if not ctx.person.has_consented:  # nothing is stored yet: promise nothing
        return Step(T.DONE)
    data = ctx.person.conversation.data
    source = str(data.get("source") or "message")
    context = ";".join(filter(None, (question_book.context_of(ctx), f"from={source}")))
    text, shortened = question_book.fit(str(data.get("text") or ""))
    added = question_book.add_question(ctx, text, context)
    if isinstance(added, question_book.Refusal):
        return Step(T.DONE, [Say((added.line,))])
    notes = [say("questions.shortened", limit=question_book.MAX_LENGTH)] if shortened else []
    return Step(T.DONE, [say("triage.question_saved"), *notes])


def no_thanks(ctx: Context, event: Text | Press) -> Step[T]:
    """Not saved; back to where they were."""
    return Step(T.DONE)


def typed_offer(ctx: Context, event: Text) -> Step[T]:
    """'yes' saves, 'no' does not."""
    answer = _answer(ctx, event)
    if answer == "yes":
        return save_question(ctx, event)
    if answer in ("no", "unsure"):
        return no_thanks(ctx, event)
    return Step(T.SAVE_OFFER, [say("triage.yes_or_no")])


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


TRIAGE: Flow[T] = Flow(
    name="triage",
    states=T,
    initial=T.CONFIRM,
    final=frozenset({T.DONE}),
    table=(
        row(T.CONFIRM, press("confirm"), confirmed, T.EMERGENCY, T.URGENT, T.SAVE_OFFER, T.DONE,
            T.CONFIRM),
        row(T.CONFIRM, TEXT, confirmed, T.EMERGENCY, T.URGENT, T.SAVE_OFFER, T.DONE,
            T.CONFIRM),
        row(T.EMERGENCY, press("seen"), seen, T.DONE),
        row(T.EMERGENCY, TEXT, emergency_text, T.EMERGENCY),
        row(T.CRISIS, press("seen"), seen, T.DONE),
        row(T.CRISIS, TEXT, crisis_text, T.CRISIS),
        row(T.FOR_SOMEONE, press("called"), called, T.DONE),
        row(T.FOR_SOMEONE, TEXT, someone_text, T.FOR_SOMEONE),
        row(T.URGENT, press("understood"), understood, T.DONE),
        row(T.URGENT, TEXT, understood, T.DONE),
        row(T.SAVE_OFFER, press("save_question"), save_question, T.DONE),
        row(T.SAVE_OFFER, press("no_thanks"), no_thanks, T.DONE),
        row(T.SAVE_OFFER, TEXT, typed_offer, T.DONE, T.SAVE_OFFER),
    ),
    prompts={
        T.CONFIRM: _confirm_prompt,
        T.EMERGENCY: escalation.emergency_message,
        T.CRISIS: escalation.crisis_message,
        T.FOR_SOMEONE: escalation.for_someone_message,
        T.URGENT: escalation.urgent_message,
        T.SAVE_OFFER: escalation.call_doctor_offer,
        T.DONE: _done_prompt,
    },
)
