"""What the questions flow shows: a page of the list, one question, and the small asks."""

from __future__ import annotations

from datetime import datetime

from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Button, Line, Say, button, say
from bot.domain.model import Question
from bot.domain.questions import book
from bot.domain.reminders.timezones import zone
from bot.domain.understanding.dates import said_date

IN_LIST = 300  # characters of a question shown in the list; the whole of it when opened
ON_BUTTON = 28
# A question may be as long as a Telegram message (4,096 characters) and is kept whole; one
# message can show no more than that with its answer and dates around it.
IN_VIEW = 2800
ANSWER_IN_VIEW = 1000
TO_EDIT = 3500


def short(text: str, limit: int) -> str:
    """The first `limit` characters on one line, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def clip(text: str, limit: int) -> tuple[str, bool]:
    """The text as written (line breaks kept) up to `limit` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def local_day(ctx: Context, moment: datetime) -> Line:
    """'3 Dec' in the person's time zone (UTC until they set one)."""
    try:
        tz = zone(ctx.person.reminder_settings.time_zone or "UTC+00:00")
    except ValueError:
        tz = zone("UTC+00:00")
    local = moment.astimezone(tz)
    return said_date("date.asked", local.date())


def _detail(ctx: Context, question: Question) -> Line:
    context = book.context_line(question.context, ctx.catalog)
    if question.answered_at is not None:
        return Line("questions.detail_answered", {"asked": local_day(ctx, question.asked_at),
                                                  "answered": local_day(ctx,
                                                                        question.answered_at)})
    if context is None:
        return Line("questions.detail", {"asked": local_day(ctx, question.asked_at)})
    return Line("questions.detail_context", {"asked": local_day(ctx, question.asked_at),
                                             "context": context})


def list_prompt(ctx: Context) -> Say:
    """One page of questions, open first; a button per question, paging, add, done."""
    questions = book.ordered(ctx.person.questions)
    last = book.pages(questions) - 1
    page = min(max(int(ctx.person.conversation.data.get("page") or 0), 0), last)
    shown = questions[page * book.PAGE_SIZE:(page + 1) * book.PAGE_SIZE]
    if not shown:
        return say("questions.none_yet", ((button("questions.btn_add", "q_add"),),
                                          (button("questions.btn_close", "q_close"),)))
    open_count = sum(q.answered_at is None for q in questions)
    lines = [Line("questions.list_head", {"open": open_count,
                                          "answered": len(questions) - open_count,
                                          "page": page + 1, "pages": last + 1})]
    rows: list[tuple[Button, ...]] = []
    for number, question in enumerate(shown, start=page * book.PAGE_SIZE + 1):
        key = "questions.item_answered" if question.answered_at else "questions.item"
        lines.append(Line(key, {"n": number, "text": short(question.text, IN_LIST),
                                "detail": _detail(ctx, question)}))
        rows.append((button("questions.btn_item", "q_open", book.ref(ctx, question),
                            n=number, text=short(question.text, ON_BUTTON)),))
    paging = []
    if page > 0:
        paging.append(button("questions.btn_prev", "q_page", str(page - 1)))
    if page < last:
        paging.append(button("questions.btn_next", "q_page", str(page + 1)))
    if paging:
        rows.append(tuple(paging))
    rows.append((button("questions.btn_add", "q_add"), button("questions.btn_close", "q_close")))
    return Say(tuple(lines), tuple(rows))


def item_prompt(ctx: Context) -> Say:
    """One question in full, with edit / answered / delete / back."""
    question = book.chosen(ctx)
    if question is None:
        return list_prompt(ctx)
    ref = book.ref(ctx, question)
    text, cut = clip(question.text, IN_VIEW)
    lines = [Line("questions.one", {"text": text, "detail": _detail(ctx, question)})]
    if question.answer:
        answer, answer_cut = clip(question.answer, ANSWER_IN_VIEW)
        lines.append(Line("questions.one_answer", {"answer": answer}))
        cut = cut or answer_cut
    if cut:
        lines.append(Line("questions.clipped"))
    status = (button("questions.btn_reopen", "q_reopen", ref) if question.answered_at
              else button("questions.btn_answered", "q_answered", ref))
    return Say(tuple(lines), (
        (button("questions.btn_edit", "q_edit", ref), status),
        (button("questions.btn_delete", "q_delete", ref),),
        (button("questions.btn_back", "q_back"),),
    ))


def edit_prompt(ctx: Context) -> Say:
    """Send the new wording (the old one is shown, to copy from)."""
    question = book.chosen(ctx)
    text, cut = clip(question.text if question else "", TO_EDIT)
    lines = [Line("questions.edit_prompt", {"text": text})]
    if cut:
        lines.append(Line("questions.clipped"))
    return Say(tuple(lines), ((button("questions.btn_cancel", "q_back"),),))


def _open_one(ctx: Context) -> tuple[Question | None, str]:
    question = book.chosen(ctx)
    return question, book.ref(ctx, question) if question else ""


def answer_prompt(ctx: Context) -> Say:
    """A short note of the answer helps later; it is optional."""
    _, ref = _open_one(ctx)
    return say("questions.answer_prompt", (
        (button("questions.btn_no_note", "q_no_note", ref),),
        (button("questions.btn_cancel", "q_back"),),
    ))


def delete_prompt(ctx: Context) -> Say:
    """Delete for good? Yes / no."""
    question, ref = _open_one(ctx)
    return say("questions.delete_confirm", (
        (button("questions.btn_delete_yes", "q_delete_yes", ref),),
        (button("questions.btn_delete_no", "q_back"),),
    ), text=short(question.text, 120) if question else "")


def ask_prompt(ctx: Context) -> Say:
    """Type the question."""
    return say("questions.ask_prompt", ((button("questions.btn_cancel", "q_cancel"),),),
               limit=book.MAX_LENGTH)
