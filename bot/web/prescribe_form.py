"""The clinicians' form page, /p/prescribe on the pages server (bot/web/pages.py): it makes
a program link as `backcoach prescribe` does, and shows the link, its QR code and a button
for the handout PDF.

Off unless PRESCRIBE_FORM is on with a CLINICIAN_TOKEN (bot/app/pages.py registers these
routes only then). Every POST must carry the password (compared in constant time, never
logged or echoed back), a form token signed with it and not older than FORM_TOKEN_TTL, and
come from the same origin when the browser says where it comes from (Origin,
Sec-Fetch-Site). The pages guard adds the security headers and the per-address limit.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from aiohttp import web

from bot.domain.program.links import Problem, ProgramProblems
from bot.services.ports import Clock
from bot.services.prescribe import Created, Request
from bot.web.pages import page

PATH = "/prescribe"
Fields = Mapping[str, list[str]]  # a form's text fields, each with every value given
FORM_TOKEN_TTL = timedelta(hours=2)
CSS = """
fieldset { border: 1px solid #d8dde6; border-radius: 6px; margin: 0 0 1rem; padding: 0.6rem 1rem; }
legend { font-weight: 600; }
label { display: block; margin: 0.35rem 0; }
input[type=number] { width: 4.5rem; }
textarea { width: 100%; min-height: 4rem; }
.amounts { margin: 0 0 0.6rem 1.6rem; color: #3a4454; }
.amounts label { display: inline-block; margin-right: 1rem; }
.problem { color: #9b1c1c; font-weight: 600; }
.link { word-break: break-all; font-family: ui-monospace, monospace; background: #f3f5f8;
        padding: 0.5rem; border-radius: 4px; }
img.qr { width: 14rem; height: 14rem; image-rendering: pixelated; }
button { font-size: 1rem; padding: 0.5rem 1rem; }
"""


@dataclass(frozen=True)
class Amount:
    """One dose field of an exercise on the form, with its safe range."""

    name: str
    label: str
    min: int
    max: int
    default: int


@dataclass(frozen=True)
class ExerciseChoice:
    """One exercise on the form: its id, its name in words, its amounts."""

    id: str
    name: str
    amounts: tuple[Amount, ...]


@dataclass(frozen=True)
class FormDeps:
    """What the form needs, wired by bot/app/pages.py."""

    password: str
    clock: Clock
    labels: Mapping[str, str]  # the form's words (form.*), in the default language
    exercises: Sequence[ExerciseChoice]
    languages: Sequence[str]
    default_days: int
    create: Callable[[Request, str], Awaitable[Created]]  # the request, handout language
    handout: Callable[[str, str], Awaitable[bytes | None]]  # code, language
    qr_data_uri: Callable[[str], str]


def form_routes(deps: FormDeps) -> list[web.RouteDef]:
    """GET the form; POST it to make a link; POST the code to get its handout."""

    async def show(request: web.Request) -> web.Response:
        return _form(request, deps)

    async def create(request: web.Request) -> web.Response:
        fields = await _fields(request)
        refused = _refused(request, fields, deps)
        if refused is not None:
            return refused
        try:
            made = await deps.create(_request(fields, deps), _language(fields, deps))
        except ProgramProblems as wrong:
            return _form(request, deps, problem=_said(wrong.problems, deps), status=400)
        except ValueError as error:
            return _form(request, deps, problem=str(error), status=400)
        return _made(request, deps, made, _language(fields, deps))

    async def handout(request: web.Request) -> web.Response:
        fields = await _fields(request)
        if not _same_origin(request) or not _token_ok(_one(fields, "form_token"), deps):
            return _message(request, deps, "form.refused", 403)
        pdf = await deps.handout(_one(fields, "code"), _language(fields, deps))
        if pdf is None:
            return _message(request, deps, "form.no_handout", 404)
        return web.Response(body=pdf, content_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="program-handout.pdf"'})

    return [web.get(PATH, show, allow_head=False), web.post(PATH, create),
            web.post(f"{PATH}/handout", handout)]


async def _fields(request: web.Request) -> dict[str, list[str]]:
    """The posted text fields (files and anything not text are left out)."""
    fields: dict[str, list[str]] = {}
    for name, value in (await request.post()).items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    return fields


def _one(fields: Fields, name: str) -> str:
    return fields.get(name, [""])[0]


def form_token(deps: FormDeps, now: datetime | None = None) -> str:
    """A token for one form: when it was issued, signed with the password."""
    issued = int((now or deps.clock.now()).timestamp())
    return f"{issued}.{_sign(deps.password, issued)}"


def _sign(password: str, issued: int) -> str:
    return hmac.new(password.encode(), f"prescribe-form|{issued}".encode(),
                    hashlib.sha256).hexdigest()


def _token_ok(token: str, deps: FormDeps) -> bool:
    issued_text, _, mac = token.partition(".")
    if not issued_text.isdigit() or len(issued_text) > 12:
        return False
    issued = int(issued_text)
    age = deps.clock.now().timestamp() - issued
    fresh = -60 <= age <= FORM_TOKEN_TTL.total_seconds()
    return hmac.compare_digest(mac, _sign(deps.password, issued)) and fresh


def _password_ok(given: str, deps: FormDeps) -> bool:
    # Digests of equal length, so the comparison's time says nothing about either length.
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(),
                               hashlib.sha256(deps.password.encode()).digest())


def _same_origin(request: web.Request) -> bool:
    """False when the browser says the form came from another site."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser that says so: the form token decides
    return origin != "null" and urlsplit(origin).netloc == request.host


def _refused(request: web.Request, fields: Fields,
             deps: FormDeps) -> web.Response | None:
    """403 for a request from elsewhere or with a stale form; 401 for a wrong password."""
    if not _same_origin(request) or not _token_ok(_one(fields, "form_token"), deps):
        return _message(request, deps, "form.refused", 403)
    if not _password_ok(_one(fields, "password"), deps):
        return _form(request, deps, problem=deps.labels["form.wrong_password"], status=401)
    return None


def _request(fields: Fields, deps: FormDeps) -> Request:
    """The form's fields as a Request; ValueError for what cannot even be read."""
    chosen = list(fields.get("exercise", []))
    doses: dict[str, dict[str, int]] = {}
    for exercise in deps.exercises:
        for amount in exercise.amounts:
            text = _one(fields, f"{exercise.id}.{amount.name}").strip()
            if exercise.id in chosen and text:
                if not text.isdigit() or len(text) > 4:
                    raise ValueError(f"{exercise.name}: {amount.label} must be a whole number")
                doses.setdefault(exercise.id, {})[amount.name] = int(text)
    visit_text = _one(fields, "visit").strip()
    try:
        visit = date.fromisoformat(visit_text) if visit_text else None
    except ValueError:
        raise ValueError(deps.labels["form.bad_visit"]) from None
    days_text = _one(fields, "days").strip() or str(deps.default_days)
    if not days_text.isdigit() or not 1 <= int(days_text) <= 365:
        raise ValueError(deps.labels["form.bad_days"])
    note = _one(fields, "note").strip() or None
    return Request(chosen, doses, note, visit,
                   "many" if _one(fields, "uses") == "many" else "single", int(days_text))


def _said(problems: list[Problem], deps: FormDeps) -> str:
    """The problems in the form's words, with the exercises' and amounts' names."""
    names = {e.id: e for e in deps.exercises}
    lines = []
    for problem in problems:
        exercise = names.get(problem.exercise_id)
        amount = next((a for a in exercise.amounts if a.name == problem.field),
                      None) if exercise else None
        if problem.kind == "out_of_range" and exercise and amount:
            lines.append(deps.labels["form.problem_range"].format(
                name=exercise.name, field=amount.label, min=problem.low, max=problem.high,
                value=problem.value))
        elif problem.kind == "none_chosen":
            lines.append(deps.labels["form.problem_none"])
        elif problem.kind == "note_too_long":
            lines.append(deps.labels["form.problem_note"].format(max=problem.high))
        else:  # not from this form's own fields
            lines.append(problem.text)
    return " ".join(lines)


def _language(fields: Fields, deps: FormDeps) -> str:
    given = _one(fields, "language")
    return given if given in deps.languages else deps.languages[0]


def _form(request: web.Request, deps: FormDeps, problem: str | None = None,
          status: int = 200) -> web.Response:
    labels = deps.labels
    e = html.escape
    parts = [f"<h1>{e(labels['form.title'])}</h1><p>{e(labels['form.intro'])}</p>"]
    if problem:
        parts.append(f'<p class="problem" role="alert">{e(problem)}</p>')
    parts.append(f'<form method="post" action="/p{PATH}">'
                 f'<input type="hidden" name="form_token" value="{e(form_token(deps))}">'
                 f"<fieldset><legend>{e(labels['form.exercises'])}</legend>")
    for exercise in deps.exercises:
        parts.append(f'<label><input type="checkbox" name="exercise" value="{e(exercise.id)}">'
                     f" {e(exercise.name)}</label><div class=\"amounts\">")
        for amount in exercise.amounts:
            parts.append(
                f"<label>{e(amount.label)} <input type=\"number\" "
                f'name="{e(exercise.id)}.{e(amount.name)}" min="{amount.min}" '
                f'max="{amount.max}" value="{amount.default}"> '
                f"({amount.min}-{amount.max})</label>")
        parts.append("</div>")
    options = "".join(f'<option value="{e(code)}">{e(code)}</option>' for code in deps.languages)
    parts.append(
        f"</fieldset><fieldset><legend>{e(labels['form.for_patient'])}</legend>"
        f"<label>{e(labels['form.note'])}<textarea name=\"note\" maxlength=\"500\"></textarea>"
        f"</label><label>{e(labels['form.visit'])} <input type=\"date\" name=\"visit\"></label>"
        f"<label>{e(labels['form.language'])} <select name=\"language\">{options}</select>"
        f"</label></fieldset><fieldset><legend>{e(labels['form.link'])}</legend>"
        f'<label><input type="radio" name="uses" value="single" checked> '
        f"{e(labels['form.single'])}</label>"
        f'<label><input type="radio" name="uses" value="many"> {e(labels["form.many"])}</label>'
        f"<label>{e(labels['form.days'])} <input type=\"number\" name=\"days\" min=\"1\" "
        f'max="365" value="{deps.default_days}"></label></fieldset>'
        f"<label>{e(labels['form.password'])} <input type=\"password\" name=\"password\" "
        f'autocomplete="current-password" required></label>'
        f"<p><button type=\"submit\">{e(labels['form.create'])}</button></p></form>")
    return page(request, labels["form.title"], "".join(parts), status=status, css=CSS)


def _made(request: web.Request, deps: FormDeps, made: Created, language: str) -> web.Response:
    labels, e = deps.labels, html.escape
    code = made.url.split("?start=", 1)[1]
    body = (
        f"<h1>{e(labels['form.made'])}</h1>"
        f'<p class="link">{e(made.url)}</p>'
        f'<p><img class="qr" alt="{e(labels["form.qr_alt"])}" '
        f'src="{e(deps.qr_data_uri(made.url))}"></p>'
        f"<p>{e(labels['form.until'].format(date=made.expires_at.date().isoformat()))}</p>"
        f'<form method="post" action="/p{PATH}/handout">'
        f'<input type="hidden" name="form_token" value="{e(form_token(deps))}">'
        f'<input type="hidden" name="code" value="{e(code)}">'
        f'<input type="hidden" name="language" value="{e(language)}">'
        f"<button type=\"submit\">{e(labels['form.download'])}</button></form>"
        f"<p>{e(labels['form.keep_safe'])}</p>"
        f'<p><a href="/p{PATH}">{e(labels["form.another"])}</a></p>')
    return page(request, labels["form.made"], body, css=CSS)


def _message(request: web.Request, deps: FormDeps, key: str, status: int) -> web.Response:
    text = deps.labels[key]
    return page(request, deps.labels["form.title"], f"<p>{html.escape(text)}</p>",
                status=status, css=CSS)
