"""Questions for the visit end to end: /ask, /questions, the offer to save, /export with its
PDF and calendar entry, /progress, and that nobody reaches anyone else's questions."""

from __future__ import annotations

import io
import struct
from datetime import datetime

import pypdf
from icalendar import Calendar

from bot.emulator import Emulator, TestUser
from bot.telegram import callback_data
from tests.e2e.conftest import StartBot, TimedWorld
from tests.e2e.test_onboarding import onboard, stored
from tests.e2e.test_reminders import set_appointment
from tests.e2e.test_session import begin

PNG = b"\x89PNG\r\n\x1a\n"


async def question_ids(world: TimedWorld, user: TestUser) -> list[int]:
    assert world.deps is not None
    person = await stored(world.deps, user)
    assert person is not None
    return [q.id for q in person.questions if q.id is not None]


async def revision_of(world: TimedWorld, user: TestUser) -> int:
    assert world.deps is not None
    person = await stored(world.deps, user)
    assert person is not None
    return int(person.conversation.revision)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    # Lines wrap where the page ends them; compare words, not line breaks.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_ask_review_edit_answer_and_delete(timed: TimedWorld) -> None:
    async with timed.bot():
        ines = timed.emulator.user("Ines")
        await onboard(ines)
        await ines.send_and_wait("/ask Can I do the wall angels twice a day?", contains="Saved")
        await ines.send_and_wait("/ask", contains="What would you like to ask")
        await ines.send_and_wait("Pode ser da postura no trabalho?", contains="number 2 on")
        await ines.send_and_wait("/questions", contains="2 to ask, 0 answered")
        await ines.press_and_wait("1. Can I do the wall", contains="asked")
        await ines.press_and_wait("Change", contains="At the moment it says")
        await ines.send_and_wait("Can I do the wall angels three times a day?",
                                 contains="Changed")
        await ines.press_and_wait("Answered", contains="Mark as answered? If you like")
        await ines.send_and_wait("Yes, if it doesn't hurt", contains="Marked as answered")
        await ines.press_and_wait("Pode ser", contains="asked")
        await ines.press_and_wait("Delete", contains="for good")
        await ines.press_and_wait("Yes, delete it", contains="Deleted")
        await ines.press_and_wait("Done", contains="saved")
        assert timed.deps is not None
        person = await stored(timed.deps, ines)
        assert person is not None
        assert [(q.text, q.answer) for q in person.questions] == [
            ("Can I do the wall angels three times a day?", "Yes, if it doesn't hurt")]


async def test_a_message_the_bot_cannot_use_can_be_saved(timed: TimedWorld) -> None:
    async with timed.bot():
        joao = timed.emulator.user("Joao")
        await onboard(joao)
        await joao.send_and_wait("why does my shoulder blade click when I reach up",
                                 contains="save it as a question")
        await joao.press_and_wait("Yes, save it", contains="number 1 on your list")
        await begin(timed, joao, pain="4")
        # Not a common question ("does it matter if I breathe out during the stretch" is
        # one now, answered from content: tests/unit/faq_corpus_en.toml).
        await joao.send_and_wait("does it matter if my desk chair is too low for the stretch",
                                 contains="save what you wrote")
        offer = next(m for _, m in sorted(joao.messages.items(), reverse=True)
                     if "save what you wrote" in m.text)
        await joao.press_and_wait("Yes, save it", contains="number 2 on your list",
                                  message=offer)
        assert timed.deps is not None
        person = await stored(timed.deps, joao)
        assert person is not None and person.session is not None
        assert person.session.status == "active"  # the session went on
        assert "pain=4" in (person.questions[1].context or "")


async def test_a_3000_character_question_is_kept_whole(timed: TimedWorld) -> None:
    """It was cut to 2,000 characters, and nothing said so."""
    long = " ".join(f"Why does my shoulder blade click when I reach up, time {n}?"
                    for n in range(1, 53))
    assert 3000 <= len(long) < 3100
    async with timed.bot():
        kim = timed.emulator.user("Kim")
        await onboard(kim)
        await kim.send_and_wait(long, contains="save it as a question")
        await kim.press_and_wait("Yes, save it", contains="number 1 on your list")
        await kim.send_and_wait("/questions", contains="1 to ask")
        opened = await kim.press_and_wait("1. Why does my", contains="time 1?")
        assert timed.deps is not None
        person = await stored(timed.deps, kim)
    assert person is not None and [q.text for q in person.questions] == [long]
    # One message shows the start (Telegram's limit is 4,096) and says the rest is kept.
    assert "All of it is kept, and /export shows it in full." in opened.text
    assert "time 52?" not in opened.text


async def test_nobody_can_read_change_or_delete_someone_elses_question(
        timed: TimedWorld) -> None:
    async with timed.bot():
        kim, lee = timed.emulator.user("Kim"), timed.emulator.user("Lee")
        await onboard(kim)
        await onboard(lee)
        await kim.send_and_wait("/ask Kim's private worry about her scan?", contains="Saved")
        (kims,) = await question_ids(timed, kim)
        await lee.send_and_wait("/ask Lee's own question?", contains="Saved")
        await lee.send_and_wait("/questions", contains="1 to ask")
        # A modified client puts Kim's question id into Lee's buttons, with Lee's revision:
        # first on the list, then on Lee's own question, opened.
        forged = callback_data.encode("q_open", str(kims), await revision_of(timed, lee))
        await lee.press_data(forged)
        await lee.expect("isn't in your list")
        await lee.press_and_wait("Lee's own", contains="asked")
        for action in ("q_edit", "q_answered", "q_delete"):
            forged = callback_data.encode(action, str(kims), await revision_of(timed, lee))
            await lee.press_data(forged)
            await lee.expect("isn't in your list")
            assert "Kim's private worry" not in "\n".join(lee.bot_texts)
        await lee.press_and_wait("Delete", contains="for good")
        forged = callback_data.encode("q_delete_yes", str(kims), await revision_of(timed, lee))
        await lee.press_data(forged)
        await lee.expect("isn't in your list")
        assert await question_ids(timed, kim) == [kims]
        assert len(await question_ids(timed, lee)) == 1


async def test_export_sends_the_questions_a_pdf_and_the_calendar_entry(
        timed: TimedWorld) -> None:
    async with timed.bot():
        mia = timed.emulator.user("Mia")
        await onboard(mia)
        await begin(timed, mia, pain="5")
        await mia.send_and_wait("/ask Is it normal that it clicks? Болит ли спина?",
                                contains="Saved")
        await mia.send_and_wait("/cancel")
        await mia.send_and_wait("I have numbness in my arm since this morning",
                                contains="today")
        await mia.press_and_wait("understand")
        await set_appointment(mia)
        await mia.send_and_wait("/export", contains="what to take to your visit")
        await mia.wait_for(lambda e: e.kind == "document" and e.file is not None
                           and (e.file.filename or "").endswith(".ics"), what="the .ics")
        files = {f.filename: f.data for f in mia.documents}
        assert "Is it normal that it clicks?" in "\n".join(mia.bot_texts)

        pdf = files["backcoach-visit-2026-01-12.pdf"]
        text = pdf_text(pdf)
        assert "Questions for my visit on Monday 12 January 2026" in text
        assert "Is it normal that it clicks?" in text and "Болит ли спина?" in text
        assert "Numbness or weakness in one arm or hand" in text
        assert "Same-day care" in text

        calendar = Calendar.from_ical(files["backcoach-visit.ics"])
        (event,) = calendar.walk("VEVENT")
        start = event.decoded("DTSTART")
        assert isinstance(start, datetime)
        assert start.isoformat() == "2026-01-12T10:30:00+00:00"  # Lisbon is UTC in winter
        assert "Dr Silva" in str(event.get("SUMMARY"))
        assert "Is it normal that it clicks?" in str(event.get("DESCRIPTION"))


async def test_the_visit_pdf_has_my_program_my_stop_and_my_words_once_each(
        timed: TimedWorld) -> None:
    """Issue 15, point 11, through the real bot: the program with doses, which exercise was
    stopped for pain and where, the person's own words for a warning sign typed twice
    (one row with both times), all in the first person and without a Telegram name."""
    async with timed.bot():
        you = timed.emulator.user("You")
        await onboard(you)
        await begin(timed, you, pain="3")
        await you.press_and_wait("I'm in position")
        await you.press_and_wait("It hurts, stop", contains="How bad is the pain")
        await you.press_and_wait("6", contains="Where do you feel it")
        await you.press_and_wait("Shoulder", contains="call your doctor")
        await you.press_and_wait("It's mild, go on gently", contains="Go gently")
        await you.press_and_wait("End session", contains="after the session")
        await you.press_and_wait("5", contains="Stopped for pain: 1")
        worse = "My back pain is getting worse every day"
        for _ in range(2):
            await you.send_and_wait(worse, contains="doctor")
            await timed.advance(60)
            await you.send_and_wait("/cancel")
        await you.send_and_wait("/export", contains="what to take to your visit")
        await you.wait_for(lambda e: e.kind == "document" and e.file is not None
                           and (e.file.filename or "").endswith(".pdf"), what="the PDF")
        (pdf,) = [f.data for f in you.documents if (f.filename or "").endswith(".pdf")]
    text = pdf_text(pdf)
    assert "The program I am doing now Exercise Amount Head rolls hold 5 s · 3 sets" in text
    assert ("Exercises I stopped because they hurt Exercise Where it hurt Pain When "
            "Head rolls Shoulder 6/10 5 Jan 08:00") in text
    # The stop flagged the rise from 3 (the rating after it is the same advice in the same
    # session, kept once); the words were typed at 08:00 and a minute later: one row.
    assert ("Warning signs I reported Advice I was given What I reported, in my own words "
            f"When Call the doctor Pain that is getting worse “{worse}” "
            "5 Jan 08:00 (2 times), 08:01 The program") in text
    assert "Prepared for" not in text and " their " not in text and "You" not in text


async def test_export_without_questions_or_visit_still_helps(timed: TimedWorld) -> None:
    async with timed.bot():
        noa = timed.emulator.user("Noa")
        await onboard(noa)
        await noa.send_and_wait("/export", contains="what to take to your visit")
        await noa.wait_for(lambda e: e.kind == "document", what="the PDF")
        assert [f.filename for f in noa.documents] == ["backcoach-visit-next-visit.pdf"]
        assert "no questions" in pdf_text(noa.documents[0].data).lower()


async def test_progress_sends_the_chart_and_a_summary(timed: TimedWorld) -> None:
    async with timed.bot():
        ola = timed.emulator.user("Ola")
        await onboard(ola)
        await ola.send_and_wait("/progress", contains="haven't rated your pain")
        assert ola.photos == []
        await begin(timed, ola, pain="6")
        await ola.send_and_wait("/cancel")
        await timed.advance(120)  # past the cooldown of /progress (DOCUMENT_COOLDOWN_SECONDS)
        await ola.send_and_wait("/progress", contains="You rated your pain once: 6 out of 10.")
        (photo,) = ola.photos
        width, height = png_size(photo.data)
        assert (width, height) == (1200, 700)
        assert 10_000 < len(photo.data) < 1_000_000


async def test_progress_says_how_many_ratings_and_compares_averages(timed: TimedWorld) -> None:
    """Seven ratings are "rated 7 times", never "Ratings: 7"; the trend is about averages."""
    async with timed.bot():
        eva = timed.emulator.user("Eva")
        await onboard(eva)
        await begin(timed, eva, pain="6")
        await eva.send_and_wait("/cancel")
        await timed.advance(15 * 86_400)
        for value in ("4", "3"):
            await eva.send_and_wait("/checkin", contains="How is your back today")
            await eva.press_and_wait(value, contains="new pain")
            await eva.press_and_wait("No", contains="worse than usual")
            await eva.press_and_wait("No", contains="check-in done")
        summary = await eva.send_and_wait("/progress", contains="Your pain, last 14 days")
        assert summary.text.splitlines() == [
            "Your pain, last 14 days",
            "You rated your pain 2 times. On average it was 3.5 out of 10, and the latest was 3.",
            "Your average is lower than in the two weeks before, when it was 6.0.",
            "No sessions in the last 7 days.",
        ]


async def test_a_press_that_queued_long_is_answered_first_and_its_notice_is_a_message(
        start_bot: StartBot, database_url: str, emulator: Emulator) -> None:
    """A busy bot answers a press that waited (here: any press, threshold 0) before handling
    it; a notice that would have been the press's pop-up arrives as a message instead."""
    serve = start_bot(database_url, answer_presses_after=0.0)
    async with serve:
        pia = emulator.user("Pia")
        await onboard(pia)
        await pia.send_and_wait("why does my shoulder blade click when I reach up",
                                contains="save it as a question")
        await pia.press_and_wait("No, thanks", contains="OK, not saved.")
        answers = [a for a in pia.callback_answers if a.text]
        assert answers == []  # the spinner was stopped at once, without the notice
