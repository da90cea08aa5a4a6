"""/questions and /ask, as one table: review the saved questions a page at a time; open one to
edit it, mark it answered (with a note of the answer, if they like) or delete it.

Buttons that act on a question carry its reference (bot.domain.questions.book.ref); an
action looks it up among this person's own questions only, so a forged button naming
someone else's question changes nothing.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.engine.events import Press, Text
from bot.domain.engine.fsm import TEXT, Context, Flow, Step, press, row
from bot.domain.engine.replies import Line, Reply, Say, Toast, say
from bot.domain.model import Question
from bot.domain.questions import book
from bot.domain.questions.prompts import (
    answer_prompt,
    ask_prompt,
    delete_prompt,
    edit_prompt,
    item_prompt,
    list_prompt,
)


class QuestionsState(StrEnum):
    """Where a person is in reviewing their questions."""

    LIST = "list"
    ITEM = "item"
    EDIT = "edit"
    ANSWER = "answer"
    DELETE = "delete"
    ASK = "ask"
    DONE = "done"






def _not_found(state: QuestionsState) -> Step[QuestionsState]:
    return Step(state, [Toast(Line("questions.not_found")), say("questions.not_found")])


def _refused(state: QuestionsState, refusal: book.Refusal) -> Step[QuestionsState]:
    return Step(state, [Toast(refusal.line), Say((refusal.line,))])


# the list ---------------------------------------------------------------------------------


def open_item(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Show one question with what can be done to it."""
    question = book.find(ctx, event.arg)
    if question is None:
        return _not_found(QuestionsState.LIST)
    ctx.person.conversation.data["q"] = book.ref(ctx, question)
    return Step(QuestionsState.ITEM, prompt="edit")


def turn_page(ctx: Context, event: Press) -> Step[QuestionsState]:
    """The next or previous page, in the same message."""
    wanted = int(event.arg) if event.arg.isdigit() else 0
    last = book.pages(ctx.person.questions) - 1
    ctx.person.conversation.data["page"] = min(max(wanted, 0), last)
    return Step(QuestionsState.LIST, prompt="edit")


def add_typed(ctx: Context, event: Text) -> Step[QuestionsState]:
    """Typing in the list adds what was typed as a new question."""
    added = book.add_question(ctx, event.text)
    if isinstance(added, book.Refusal):
        return _refused(QuestionsState.LIST, added)
    ctx.person.conversation.data["page"] = book.pages(ctx.person.questions) - 1
    return Step(QuestionsState.LIST, [say("questions.saved", count=len(ctx.person.questions))])


def start_adding(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Wait for the question to be typed."""
    return Step(QuestionsState.ASK, prompt="edit")


def close(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Leave the list; everything is already saved."""
    return Step(QuestionsState.DONE, [say("questions.closed")])


# one question -----------------------------------------------------------------------------


def _act_on(ctx: Context, event: Press, target: QuestionsState) -> Step[QuestionsState]:
    """The question the button names must be the one open, and theirs."""
    question = book.find(ctx, event.arg)
    if question is None or question is not book.chosen(ctx):
        return _not_found(QuestionsState.ITEM if book.chosen(ctx) else QuestionsState.LIST)
    return Step(target, prompt="edit")


def want_edit(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Ask for the new wording."""
    return _act_on(ctx, event, QuestionsState.EDIT)


def want_answered(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Ask for an optional note of the answer."""
    return _act_on(ctx, event, QuestionsState.ANSWER)


def want_delete(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Deleting cannot be undone: ask first."""
    return _act_on(ctx, event, QuestionsState.DELETE)


def reopen(ctx: Context, event: Press) -> Step[QuestionsState]:
    """An answered question becomes open again (the note of the answer is dropped)."""
    step = _act_on(ctx, event, QuestionsState.ITEM)
    question = book.chosen(ctx)
    if step.target == QuestionsState.ITEM and not step.replies and question is not None:
        question.answered_at, question.answer = None, None
        step.replies.append(say("questions.reopened"))
    return step


def back_to_list(ctx: Context, event: Press) -> Step[QuestionsState]:
    """From one question back to the page it was on."""
    ctx.person.conversation.data.pop("q", None)
    return Step(QuestionsState.LIST, prompt="edit")


def back_to_item(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Leave editing, the note or the delete question without changing anything."""
    return Step(QuestionsState.ITEM if book.chosen(ctx) else QuestionsState.LIST, prompt="edit")


def save_edit(ctx: Context, event: Text) -> Step[QuestionsState]:
    """The new wording replaces the old; the date and context stay."""
    question = book.chosen(ctx)
    if question is None:
        return _not_found(QuestionsState.LIST)
    text = book.clean(event.text)
    if not text or len(text) > book.MAX_LENGTH:
        return Step(QuestionsState.EDIT, [say("questions.too_long", length=len(text),
                                 limit=book.MAX_LENGTH) if text else say("questions.empty")])
    question.text = text
    return Step(QuestionsState.ITEM, [say("questions.edited")])


def mark_answered(ctx: Context, event: Text) -> Step[QuestionsState]:
    """Answered, with the typed note."""
    return _mark(ctx, book.clean(event.text))


def mark_without_note(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Answered, with no note; the button names the question."""
    return _mark(ctx, "", named=event.arg)


def _mark(ctx: Context, note: str, named: str | None = None) -> Step[QuestionsState]:
    question = book.chosen(ctx)
    if question is None:
        return _not_found(QuestionsState.LIST)
    if len(note) > book.MAX_LENGTH:
        return Step(QuestionsState.ANSWER, [say("questions.too_long", length=len(note),
                                   limit=book.MAX_LENGTH)])
    if named is not None and book.find(ctx, named) is not question:
        return _not_found(QuestionsState.ANSWER)
    question.answered_at, question.answer = ctx.now, note or None
    ctx.person.conversation.data.pop("q", None)
    return Step(QuestionsState.LIST, [say("questions.marked")])


def delete(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Gone for good."""
    question = book.find(ctx, event.arg)
    if question is None or question is not book.chosen(ctx):
        return _not_found(QuestionsState.DELETE if book.chosen(ctx) else QuestionsState.LIST)
    ctx.person.questions.remove(question)
    data = ctx.person.conversation.data
    data.pop("q", None)
    data["page"] = min(int(data.get("page") or 0), book.pages(ctx.person.questions) - 1)
    return Step(QuestionsState.LIST, [say("questions.deleted")])


# /ask alone ------------------------------------------------------------------------------


def ask_typed(ctx: Context, event: Text) -> Step[QuestionsState]:
    """Save what they typed; too long or list full: say so and keep waiting."""
    added = book.add_question(ctx, event.text)
    if isinstance(added, book.Refusal):
        return _refused(QuestionsState.DONE if added.line.key == "questions.full"
                        else QuestionsState.ASK, added)
    return Step(QuestionsState.DONE, [say("questions.saved", count=len(ctx.person.questions))])


def ask_cancelled(ctx: Context, event: Press) -> Step[QuestionsState]:
    """Nothing to save after all."""
    return Step(QuestionsState.DONE, [say("questions.not_saved")])


def saved_reply(ctx: Context, added: Question | book.Refusal) -> list[Reply]:
    """What /ask TEXT says: saved (and how many now), or why not."""
    if isinstance(added, book.Refusal):
        return [Say((added.line,))]
    return [say("questions.saved_hint", count=len(ctx.person.questions))]


QUESTIONS: Flow[QuestionsState] = Flow(
    name="questions",
    states=QuestionsState,
    initial=QuestionsState.LIST,
    final=frozenset({QuestionsState.DONE}),
    table=(
        row(QuestionsState.LIST, press("q_open"), open_item, QuestionsState.ITEM,
            QuestionsState.LIST),
        row(QuestionsState.LIST, press("q_page"), turn_page, QuestionsState.LIST),
        row(QuestionsState.LIST, press("q_add"), start_adding, QuestionsState.ASK),
        row(QuestionsState.LIST, TEXT, add_typed, QuestionsState.LIST),
        row(QuestionsState.LIST, press("q_close"), close, QuestionsState.DONE),
        row(QuestionsState.ITEM, press("q_edit"), want_edit, QuestionsState.EDIT,
            QuestionsState.ITEM, QuestionsState.LIST),
        row(QuestionsState.ITEM, press("q_answered"), want_answered, QuestionsState.ANSWER,
            QuestionsState.ITEM, QuestionsState.LIST),
        row(QuestionsState.ITEM, press("q_reopen"), reopen, QuestionsState.ITEM,
            QuestionsState.LIST),
        row(QuestionsState.ITEM, press("q_delete"), want_delete, QuestionsState.DELETE,
            QuestionsState.ITEM, QuestionsState.LIST),
        row(QuestionsState.ITEM, press("q_back"), back_to_list, QuestionsState.LIST),
        row(QuestionsState.EDIT, TEXT, save_edit, QuestionsState.ITEM, QuestionsState.EDIT,
            QuestionsState.LIST),
        row(QuestionsState.EDIT, press("q_back"), back_to_item, QuestionsState.ITEM,
            QuestionsState.LIST),
        row(QuestionsState.ANSWER, TEXT, mark_answered, QuestionsState.LIST, QuestionsState.ANSWER),
        row(QuestionsState.ANSWER, press("q_no_note"), mark_without_note, QuestionsState.LIST,
            QuestionsState.ANSWER),
        row(QuestionsState.ANSWER, press("q_back"), back_to_item, QuestionsState.ITEM,
            QuestionsState.LIST),
        row(QuestionsState.DELETE, press("q_delete_yes"), delete, QuestionsState.LIST,
            QuestionsState.DELETE),
        row(QuestionsState.DELETE, press("q_back"), back_to_item, QuestionsState.ITEM,
            QuestionsState.LIST),
        row(QuestionsState.ASK, TEXT, ask_typed, QuestionsState.DONE, QuestionsState.ASK),
        row(QuestionsState.ASK, press("q_cancel"), ask_cancelled, QuestionsState.DONE),
    ),
    prompts={QuestionsState.LIST: list_prompt, QuestionsState.ITEM: item_prompt,
             QuestionsState.EDIT: edit_prompt,
             QuestionsState.ANSWER: answer_prompt, QuestionsState.DELETE: delete_prompt,
             QuestionsState.ASK: ask_prompt,
             QuestionsState.DONE: lambda ctx: say("questions.done")},
)
