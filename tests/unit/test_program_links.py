"""Program links without a network: the code (entropy, alphabet, length, hash), the
program held to the safe ranges, expiry, the service that finds a link before the domain,
the visit report's line and the one-page handout."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from bot.domain.engine.events import Command, Press
from bot.domain.engine.replies import Say
from bot.domain.model import Offer, Person, ProgramChange, ProviderProgram
from bot.domain.program.links import (
    code_hash,
    looks_like_code,
    make_program,
    new_code,
    new_link,
)
from bot.export.handout import handout_pdf
from bot.export.pdf import visit_pdf
from bot.export.qr import qr_png
from bot.export.text import questions_text
from bot.loaders.content import Content, load_content
from bot.services.conversation import Inbound, handle_update
from bot.services.prescribe import deep_link, handout_of
from bot.services.visit_export import History, build_report
from bot.telegram.files import labels_of, wording
from bot.telegram.rendering import render_plain
from tests.unit.conftest import NOW, Chat
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.test_onboarding import onboard_to

CONTENT = load_content()
CATALOG = CONTENT.catalog
NOTE = ("Twice a day, slowly, and only as far as is comfortable. " * 9)[:500]  # the longest
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")  # Telegram's deep-link limit


def test_a_code_is_128_random_bits_in_telegrams_alphabet() -> None:
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    for code in codes[:200]:
        assert START_PARAMETER.fullmatch(code) and len(code) == 22
        assert len(base64.urlsafe_b64decode(code + "==")) == 16  # 128 bits
        assert looks_like_code(code)
    # Every symbol of the alphabet turns up, in every position: no fixed part.
    assert len(set("".join(codes))) == 64
    assert all(len({c[i] for c in codes}) > 40 for i in range(21))


def test_the_deep_link_fits_telegrams_start_parameter() -> None:
    link = deep_link("@backcoach_bot", new_code())
    assert link.startswith("https://t.me/backcoach_bot?start=")
    assert START_PARAMETER.fullmatch(link.split("?start=", 1)[1])


def test_the_hash_is_sha256_and_never_the_code() -> None:
    code = new_code()
    assert code_hash(code) == hashlib.sha256(code.encode()).hexdigest()
    assert code not in code_hash(code) and code_hash(code) != code_hash(new_code())


@pytest.mark.parametrize("text", ["", "A" * 21, "A" * 23, "A" * 21 + "!", "Ä" * 22,
                                  "A" * 21 + " ", "x" * 64])
def test_anything_else_is_not_a_code(text: str) -> None:
    assert not looks_like_code(text)


def test_a_link_expires_after_its_days() -> None:
    program = make_program(CATALOG, ["cat_camel"], {}, None, None)
    link = new_link(program, "many", NOW, 30)
    assert link.expires_at == NOW + timedelta(days=30) and link.uses == "many"
    assert link.hash == code_hash(link.code)
    with pytest.raises(ValueError, match="at least one day"):
        new_link(program, "single", NOW, 0)


def test_every_amount_is_held_to_the_programs_safe_range() -> None:
    for exercise in CATALOG.exercises:
        for name, limits in exercise.dose.items():
            for bad in (limits.min - 1, limits.max + 1):
                with pytest.raises(ValueError, match=f"must be {limits.min} to {limits.max}"):
                    make_program(CATALOG, [exercise.id], {exercise.id: {name: bad}}, None, None)
            for good in (limits.min, limits.max):
                made = make_program(CATALOG, [exercise.id], {exercise.id: {name: good}},
                                    None, None)
                # The usual amount is stored as "no change", as a person's own choice is.
                assert made.doses[exercise.id] == ({} if good == limits.default
                                                   else {name: good})


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(ValueError) as refused:
        make_program(CATALOG, ["bird_dog", "planks"], {"head_rolls": {"sets": 2},
                                                       "bird_dog": {"reps": 3}},
                     "x" * 501, None)
    text = str(refused.value)
    for part in ("unknown exercise 'planks'", "a dose for 'head_rolls', which is not chosen",
                 "bird_dog has no 'reps'", "the note is over 500 characters"):
        assert part in text
    with pytest.raises(ValueError, match="at least one exercise"):
        make_program(CATALOG, [], {}, None, None)


async def test_a_link_opened_before_consent_is_only_looked_at(content: Content) -> None:
    uow = FakeUnitOfWork()
    program = make_program(CATALOG, ["bird_dog"], {"bird_dog": {"sets": 3}}, None, None)
    link = new_link(program, "single", NOW, 30)
    async with uow:
        await uow.links.add(link)
    outcome = await handle_update(uow, content.catalog,
                                  Inbound(1, 7, 7, "en", Command("start", link.code)), NOW)
    assert uow.people_store == {} and uow.link_store[link.hash][1] == 0  # nothing kept, used
    buttons = [b for r in outcome.replies if isinstance(r, Say) for row in r.buttons
               for b in row]
    assert {(b.action, b.arg) for b in buttons} == {("agree", f"en.{link.code}"),
                                                   ("decline", f"en.{link.code}")}
    agree = Press("agree", f"en.{link.code}", 0)
    await handle_update(uow, content.catalog, Inbound(2, 7, 7, "en", agree), NOW)
    assert uow.link_store[link.hash][1] == 1  # taken at consent
    person = uow.people_store[7]
    assert person.conversation.data["provider"]["doses"] == {"bird_dog": {"sets": 3}}
    # A second press of the same (now stale) button takes nothing more.
    agree = Press("agree", f"en.{link.code}", 0)
    await handle_update(uow, content.catalog, Inbound(3, 7, 7, "en", agree), NOW)
    assert uow.link_store[link.hash][1] == 1


def report_with(changes: list[ProgramChange]) -> tuple[bytes, str]:
    texts = CONTENT.locales.texts("en")
    person = Person(7, 7, "en", NOW - timedelta(days=30))
    report = build_report(History(person, [], [], [], changes), CATALOG, NOW,
                          lambda line: render_plain(line, texts), labels_of(texts))
    return visit_pdf(report), questions_text(report)


def test_the_visit_report_says_the_program_came_from_the_providers_link() -> None:
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    pdf, text = report_with([ProgramChange(at, "provider", None, "head_rolls,bird_dog")])
    said = "My provider set this program for me, with a link, on 1 Dec."
    assert said in " ".join(" ".join(p.extract_text().split())
                            for p in PdfReader(io.BytesIO(pdf)).pages)
    assert said in text
    assert "Took the program my provider set, from a link: Head rolls, Bird dog" in " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    pdf, text = report_with([ProgramChange(at, "country", "PT", "ES")])
    assert "with a link" not in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_handout_is_one_page_with_the_program_note_visit_and_disclaimer(
        language: str) -> None:
    program = make_program(CATALOG, [e.id for e in CATALOG.exercises],
                           {"bird_dog": {"sets": 3}}, NOTE, date(2027, 1, 12))
    link = new_link(program, "single", NOW, 30)
    url = deep_link("backcoach_bot", link.code)
    pdf = handout_pdf(handout_of(link, url, qr_png(url), CATALOG,
                                 wording(CONTENT.locales.texts(language))))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    text = " ".join(pages[0].extract_text().split())
    strings = CONTENT.locales.texts(language).strings
    for key in ("handout.title", "handout.program", "handout.safety"):
        assert strings[key] in text
    assert NOTE[-60:].strip() in text and "12 " in text and "2027" in text
    assert link.code in text
    assert strings["handout.disclaimer"][:60] in text
    assert ("Bird dog" if language == "en" else "Perro de caza") in text


def test_the_qr_code_is_a_png_of_the_link() -> None:
    png = qr_png(deep_link("backcoach_bot", new_code()))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 500


def open_link(chat: Chat, program: ProviderProgram | None) -> None:
    """/start with a link, as the service hands it to the domain (and drops it after)."""
    chat.person.link_offer = Offer(program, taken=chat.person.has_consented)
    chat.send("/start")
    chat.person.link_offer = None


def test_set_up_people_keep_their_program_unless_they_say_so(chat: Chat) -> None:
    onboard_to(chat, "idle")
    before = copy.deepcopy(chat.person.program)
    program = make_program(CATALOG, ["bird_dog"], {"bird_dog": {"sets": 3}}, None, None)
    open_link(chat, program)
    assert "Your provider suggested" in chat.text and "Keep my program" in chat.labels()
    for odd in ("🙂", "maybe", "/provider", "x" * 5000):
        chat.send(odd)
        assert chat.person.program == before
    chat.do(Press("provider", "other", chat.person.conversation.revision))  # forged
    chat.do(Press("provider", "use", 0))  # stale
    assert chat.person.program == before and chat.person.new_program_changes == []
    chat.press("Keep my program")
    assert "stays as it was" in chat.text and chat.person.program == before
    assert chat.state == "home/idle"

    open_link(chat, program)
    chat.send("yes")  # a typed yes uses it
    assert "this is your program now" in chat.text
    assert [e for e, p in chat.person.program.items() if p.enabled] == ["bird_dog"]
    assert [c.what for c in chat.person.new_program_changes] == ["provider"]


def test_a_wrong_link_says_so_kindly_and_changes_nothing(chat: Chat) -> None:
    onboard_to(chat, "idle")
    before = copy.deepcopy(chat.person.program)
    open_link(chat, None)
    assert "doesn't work any more" in chat.text and chat.person.program == before
    assert "expired" in chat.text and "used already" in chat.text  # never which one


def test_a_provider_program_waits_through_cancel(chat: Chat) -> None:
    chat.send("/start")
    chat.press("I understand")
    program = make_program(CATALOG, ["cat_camel"], {}, "Slowly", None)
    open_link(chat, program)
    assert chat.state == "onboarding/country"
    chat.send("/cancel")
    chat.send("/start")
    assert chat.state == "onboarding/country"
    chat.press("Portugal")
    assert "Your provider suggested" in chat.text and "Slowly" in chat.text
