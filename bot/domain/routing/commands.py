"""The commands that work in every state of every flow: /start, /exercise, /cancel..."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.appointments import flow as appointments
from bot.domain.checkin import flow as checkin
from bot.domain.engine import detour
from bot.domain.engine.events import Command
from bot.domain.engine.flows import current_prompt
from bot.domain.engine.fsm import Context
from bot.domain.engine.replies import Attach, Reply, say
from bot.domain.limits import allowance
from bot.domain.model import Conversation, Person
from bot.domain.onboarding import prompts as onboarding_prompts
from bot.domain.onboarding import provider
from bot.domain.onboarding.flow import ONBOARDING, Onboarding
from bot.domain.program import flow as program
from bot.domain.questions import book as question_book
from bot.domain.questions import flow as questions
from bot.domain.reminders import flow as reminders
from bot.domain.reminders.plan import cancel as cancel_reminders
from bot.domain.reminders.plan import resting
from bot.domain.routing import language
from bot.domain.routing.home import HOME, Home
from bot.domain.session.flow import SESSION, SessionState, begin, resume_state
from bot.domain.sharing import flow as sharing
from bot.domain.triage import escalation

OPEN_BEFORE_CONSENT = frozenset({"start", "help", "about", "safety", "cancel", "mydata",
                                 "forget", "language"})


def run_command(ctx: Context, command: Command) -> list[Reply]:
    if not ctx.person.has_consented and command.name not in OPEN_BEFORE_CONSENT:
        return [say("common.consent_first"), *_enter_onboarding(ctx)]
    if command.name == "ask":
        return ask(ctx, command.args)
    handler = COMMANDS.get(command.name)
    if handler is None:
        return [say("common.unknown_command", command=command.name[:32])]
    return handler(ctx)


def _enter_onboarding(ctx: Context) -> list[Reply]:
    conversation = ctx.person.conversation
    if conversation.flow != ONBOARDING.name:
        state = conversation.data.get("resume") or _resume_point(ctx.person).value
        if state in (Onboarding.DOSE_FIELD, Onboarding.DOSE_VALUE):
            state = Onboarding.DOSES.value  # the half-made choice was dropped on cancel
        kept = {key: conversation.data[key] for key in (provider.KEY,) if key in conversation.data}
        ctx.person.conversation = Conversation(ONBOARDING.name, state, kept,
                                               conversation.revision)
    return current_prompt(ctx)


def _resume_point(person: Person) -> Onboarding:
    if not person.has_consented:
        return Onboarding.DISCLAIMER
    if not person.program:
        return Onboarding.COUNTRY
    return Onboarding.EXERCISES


def start(ctx: Context) -> list[Reply]:
    """/start: begin onboarding, resume any flow where it was, or show the menu; with a
    provider's link, its program once the person has consented (or a kind word when the
    link cannot be used, then the same as without it)."""
    link = provider.offered(ctx)
    if link is not None and provider.waiting(ctx) is not None:
        person = ctx.person
        at_country = person.onboarded_at is None and _resume_point(person) == Onboarding.COUNTRY
        provider.move_to(ctx, (Onboarding.COUNTRY if at_country else Onboarding.PROVIDER).value)
        return [*link, *current_prompt(ctx)]
    replies = _start(ctx)
    if link and ctx.person.onboarded_at is None:  # hello first, then what the link is
        return [*replies[:1], *link, *replies[1:]]
    return [*(link or []), *replies]


def _start(ctx: Context) -> list[Reply]:
    person = ctx.person
    if person.onboarded_at is None:
        greeting = "common.welcome_back" if person.has_consented else "common.welcome"
        return [say(greeting), *_enter_onboarding(ctx)]
    if person.conversation.flow != HOME.name:
        return current_prompt(ctx, "common.welcome_back")
    return current_prompt(ctx)


def help_(ctx: Context) -> list[Reply]:
    """/help: what the bot can do."""
    return [say("common.help")]


def safety(ctx: Context) -> list[Reply]:
    """/safety: the four safety rules, any time."""
    return [say("common.safety", rules=onboarding_prompts.safety_rules(ctx))]


def about(ctx: Context) -> list[Reply]:
    """/about: the disclaimer and where the program comes from."""
    return [say("common.about")]


def cancel(ctx: Context) -> list[Reply]:
    """/cancel: leave the current flow; everything saved so far stays saved."""
    conversation = ctx.person.conversation
    if conversation.flow == HOME.name or not ctx.person.has_consented:
        return [say("common.nothing_to_cancel")]
    resume = {"resume": conversation.state} if conversation.flow == ONBOARDING.name else {}
    if resume and provider.KEY in conversation.data:  # a provider's program still waits
        resume[provider.KEY] = conversation.data[provider.KEY]
    session = ctx.person.session
    if conversation.flow == SESSION.name and session is not None:
        if session.status == "finished":  # only the emergency notice was left open
            resume = {}
        else:
            session.pause()
    ctx.person.conversation = Conversation(HOME.name, Home.IDLE.value, resume,
                                           conversation.revision)
    if session is not None and session.status == "paused":
        return [say("session.cancelled")]
    return [say("common.cancelled")]


def exercise(ctx: Context) -> list[Reply]:
    """/exercise: start a session, or carry on with the one paused or under way."""
    person = ctx.person
    if person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    cancel_reminders(person, "session_nudge")  # doing the exercises is the answer to the reminder
    if resting(person, ctx.now):
        # Never locked out, but the advice stays the same: rest today.
        return [say("session.resting_today"), *_start_or_carry_on(ctx)]
    if escalation.follow_up_is_serious(ctx):
        return escalation.ask_follow_up(ctx)  # how are they, before any exercise
    return _start_or_carry_on(ctx)


def _start_or_carry_on(ctx: Context) -> list[Reply]:
    person = ctx.person
    session = person.session
    if session is None or session.status == "finished":
        if not allowance.take(person, "session", ctx.now):
            return [say("session.daily_cap")]
        begin(ctx)
        return current_prompt(ctx)
    conversation = person.conversation
    if conversation.flow == SESSION.name and conversation.state != SessionState.PAUSED:
        return current_prompt(ctx, "session.carry_on")
    session.status = "active"
    person.conversation = Conversation(SESSION.name, resume_state(session).value, {},
                                       conversation.revision)
    return current_prompt(ctx, "session.carry_on")


def check_in(ctx: Context) -> list[Reply]:
    """/checkin: today's pain, new pain, worse than usual."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    if _pause_running_session(ctx):
        ctx.person.conversation = Conversation(SESSION.name, SessionState.PAUSED.value, {},
                                               ctx.person.conversation.revision)
    checkin.begin(ctx)
    return current_prompt(ctx)


def guided(ctx: Context) -> list[Reply]:
    """/guided: holds start by themselves (or not) when the person reaches them."""
    if not ctx.person.has_consented:
        return [say("common.consent_first"), *_enter_onboarding(ctx)]
    ctx.person.guided_holds = not ctx.person.guided_holds
    return [say("session.guided_on" if ctx.person.guided_holds else "session.guided_off")]


def my_data(ctx: Context) -> list[Reply]:
    """/mydata: everything stored about the person, as files."""
    if not ctx.person.has_consented:
        return [say("data.nothing_stored")]
    return _document(ctx, "mydata", [say("data.mydata"), language.in_use(ctx), Attach("mydata")])


def forget(ctx: Context) -> list[Reply]:
    """/forget: delete everything, after one clear confirmation."""
    person = ctx.person
    if not person.has_consented:
        return [say("data.nothing_stored")]
    _pause_running_session(ctx)
    person.conversation = Conversation(HOME.name, Home.FORGET.value, {},
                                       person.conversation.revision)
    return current_prompt(ctx)


def reminder_settings(ctx: Context) -> list[Reply]:
    """/reminders: when and on which days to be reminded, in their own time zone."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    _pause_running_session(ctx)
    reminders.begin(ctx)
    return current_prompt(ctx)


def appointment(ctx: Context) -> list[Reply]:
    """/appointment: the next visit, so reminders and questions are ready for it."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    _pause_running_session(ctx)
    appointments.begin(ctx)
    return current_prompt(ctx)


def change_program(ctx: Context) -> list[Reply]:
    """/program: change the exercises, their amounts or the country; history is kept."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    _pause_running_session(ctx)
    program.begin(ctx)
    return current_prompt(ctx)


def ask(ctx: Context, text: str) -> list[Reply]:
    """/ask TEXT saves a question where they are; /ask alone asks for it."""
    if text.strip():
        return questions.saved_reply(ctx, question_book.add_question(ctx, text))
    detour.enter(ctx, questions.QUESTIONS.name, questions.QuestionsState.ASK.value, {})
    return current_prompt(ctx)


def question_list(ctx: Context) -> list[Reply]:
    """/questions: review, edit, delete and mark answered, a page at a time."""
    detour.enter(ctx, questions.QUESTIONS.name, questions.QuestionsState.LIST.value, {"page": 0})
    return current_prompt(ctx)


def export(ctx: Context) -> list[Reply]:
    """/export: the questions as text, the PDF for the visit, and the calendar entry."""
    return _document(ctx, "export", [say("visit.sending"), Attach("export")])


def progress(ctx: Context) -> list[Reply]:
    """/progress: the pain chart and a few words about how it has gone."""
    return _document(ctx, "progress", [Attach("progress")])


def share(ctx: Context) -> list[Reply]:
    """/share: a read-only progress page for a day, a week or until the visit; the pages
    open now, each with a button that stops it."""
    if ctx.person.onboarded_at is None:
        return [say("session.setup_first"), *_enter_onboarding(ctx)]
    if ctx.limits.sharing:
        _pause_running_session(ctx)
    return list(sharing.begin(ctx))


def _document(ctx: Context, kind: str, replies: list[Reply]) -> list[Reply]:
    # Documents cost seconds of a CPU for a long history: at most one of each kind per
    # cooldown, so nobody can keep the renderer busy for everyone else.
    wait = allowance.wait_before(ctx.person, kind, ctx.now, ctx.limits)
    return replies if wait is None else [allowance.cooldown_reply(wait)]


def _pause_running_session(ctx: Context) -> bool:
    """Pause the session under way, if there is one (no hold runs on unattended)."""
    session = ctx.person.session
    if session is None or session.status != "active":
        return False
    session.pause()
    return True


COMMANDS: dict[str, Callable[[Context], list[Reply]]] = {
    "start": start,
    "help": help_,
    "safety": safety,
    "about": about,
    "cancel": cancel,
    "exercise": exercise,
    "guided": guided,
    "checkin": check_in,
    "mydata": my_data,
    "reminders": reminder_settings,
    "appointment": appointment,
    "program": change_program,
    "forget": forget,
    "questions": question_list,
    "export": export,
    "progress": progress,
    "share": share,
    "language": language.choose,
}


