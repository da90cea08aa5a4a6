"""Answering a common question about the program, where a flow cannot use what was typed.

Warning signs were checked before any of this (the router screens every message first), so
a question that holds one never gets here. An answer topic gets its answer and its source;
a provider topic (anything clinical) gets "that's one for your provider" and the offer to
save the question for the visit.
"""

from __future__ import annotations

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Line, Reply, Say
from bot.domain.questions import offers
from bot.domain.questions.faq import Topic

# While a warning sign is being dealt with, its own question stays the only one asked.
NOT_IN_FLOWS = frozenset({"triage"})


def answer(ctx: Context, text: str) -> Say | None:
    """The answer to a common question this text asks, or None."""
    if ctx.person.conversation.flow in NOT_IN_FLOWS:
        return None
    found = ctx.catalog.answers.match(text)
    if found is None:
        return None
    topic = found.topic
    lines = _lines(topic)
    if topic.kind == "answer":
        return Say(lines)
    # Before consent nothing may be stored, so there is nothing to save the question in.
    buttons = offers.save_buttons(ctx, text) if ctx.person.has_consented else ()
    return Say((*lines, Line("faq.provider_save" if buttons else "faq.provider")), buttons)


def alongside(ctx: Context, rule: str | None, text: str) -> Say | None:
    """The answer (without any offer) to go before a call-your-doctor answer whose triage
    rule means "a question about the program"; that answer keeps its own save offer."""
    if rule is None or rule not in ctx.catalog.answers.with_rules:
        return None
    found = ctx.catalog.answers.match(text)
    return Say(_lines(found.topic)) if found else None


def _lines(topic: Topic) -> tuple[Line, Line]:
    return (Line(f"answers.{topic.id}"),
            Line("faq.source", {"source": Line(f"answers.source.{topic.source}")}))


def instead_of_help(ctx: Context, text: str, replies: list[Reply]) -> list[Reply] | None:
    """A state's "I couldn't read that" line (a *_help line) replaced by the answer, if the
    text asks a common question; None when it does not."""
    for number, reply in enumerate(replies):
        if (isinstance(reply, Say) and not reply.buttons and reply.lines
                and reply.lines[0].key.endswith("_help")):
            found = answer(ctx, text)
            if found is None:
                return None
            return [*replies[:number], found, *replies[number + 1:]]
    return None
