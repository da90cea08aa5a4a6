"""The visit PDF: what a clinician reads, in any script a person types, the same bytes each time."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from statistics import fmean

import pytest
from pypdf import PdfReader

from bot.export import pdf as pdf_module
from bot.export.common import medium_date
from bot.export.fonts import PLACEHOLDER, covered
from bot.export.pdf import visit_pdf
from bot.export.report import EscalationItem, QuestionItem, Visit, VisitReport
from bot.export.summary import counts
from tests.unit.test_export_text import (
    ACCENTED,
    ANSWER,
    ANSWERED,
    CONTROL_CLEAN,
    CYRILLIC,
    GENERATED,
    GREEK,
    LABELS,
    at,
    empty_report,
    full_report,
    only,
    sample_pain,
    sample_weeks,
)

NOTE = "Some characters could not be shown in this PDF"


def pages(data: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def words(data: bytes) -> str:
    """All the text, whitespace runs as single spaces (lines wrap wherever the width ends)."""
    return " ".join(" ".join(pages(data)).split())


@pytest.fixture(scope="module")
def full() -> bytes:
    return visit_pdf(full_report())


@pytest.fixture(scope="module")
def full_text(full: bytes) -> str:
    return words(full)


def test_every_label_the_pdf_uses_is_in_export_toml() -> None:
    missing = [key for key in pdf_module.LABEL_KEYS if key not in LABELS]
    assert not missing
    visit_pdf(full_report(labels=only(pdf_module.LABEL_KEYS)))
    visit_pdf(empty_report(labels=only(pdf_module.LABEL_KEYS)))


def test_it_is_a_pdf_with_title_author_and_creation_date(full: bytes) -> None:
    assert full.startswith(b"%PDF-")
    meta = PdfReader(io.BytesIO(full)).metadata
    assert meta is not None
    assert meta.title == "Questions for my visit on Tuesday 8 December 2026"
    assert meta.author == "Backcoach"
    assert meta.creation_date == GENERATED


def test_the_front_says_when_with_whom_and_what_it_is(full_text: str) -> None:
    assert full_text.startswith("Questions for my visit on Tuesday 8 December 2026")
    assert "At 14:30 with Dr Silva (30 minutes)" in full_text
    assert "Prepared on 1 Dec 2026 with Backcoach." in full_text
    assert "This is my own record" in full_text and "Backcoach does not diagnose" in full_text
    # Telegram's first name is a display name ("You" in the terminal chat), not one given.
    assert "Prepared for" not in full_text


def test_the_title_is_one_line_and_the_date_never_breaks(full: bytes) -> None:
    """A long date made the year wrap onto a line of its own."""
    longest = full_report(visit=Visit(datetime(2026, 9, 30, 14, 30, tzinfo=UTC), "Dr Silva"))
    first_page = PdfReader(io.BytesIO(visit_pdf(longest))).pages[0].extract_text()
    assert " ".join(first_page.splitlines()[0].split()) == (
        "Questions for my visit on Wednesday 30 September 2026")


def test_every_question_a_font_can_show_is_there_in_order(full_text: str) -> None:
    expected = [f"1. {ACCENTED}", "asked 3 Nov, after cat and camel, pain 6/10",
                f"2. {CYRILLIC}", f"3. {GREEK}", f"7. {CONTROL_CLEAN}", "asked 9 Dec 2025",
                "Already answered", ANSWERED, "answered 20 Oct", f"Answer: {ANSWER}"]
    positions = [full_text.find(part) for part in expected]
    assert -1 not in positions, [p for p, i in zip(expected, positions, strict=True) if i < 0]
    assert positions == sorted(positions)


def test_a_5000_character_word_wraps_and_is_whole(full: bytes) -> None:
    text = "\n".join(line for line in "\n".join(pages(full)).splitlines()
                     if not line.startswith("Page "))
    runs = [len(run) for run in re.findall(r"q+", "".join(text.split()))]
    assert max(runs) == 5000
    lines = [line for line in text.splitlines() if re.fullmatch(r"q+", line.strip())]
    assert len(lines) > 40 and max(len(line.strip()) for line in lines) < 120


def test_cjk_and_emoji_are_replaced_visibly_and_the_pdf_says_so(full_text: str) -> None:
    assert f"4. {PLACEHOLDER * 5} asked 7 Nov" in full_text
    assert "Is this ok? [thumbs up sign]" in full_text
    assert "背" not in full_text and "👍" not in full_text
    assert full_text.endswith(f"{NOTE} (marked {PLACEHOLDER} or written out in [brackets]); "
                              "they are in the text message. Page 4 of 4")


def test_every_character_drawn_is_one_the_font_has(full: bytes) -> None:
    drawable = covered()
    shown = {ch for ch in "".join(pages(full)) if not ch.isspace()}
    assert shown and all(ord(ch) in drawable for ch in shown), shown - {
        ch for ch in shown if ord(ch) in drawable}


def test_the_note_only_appears_when_something_was_replaced() -> None:
    plain = full_report(questions=[QuestionItem(ACCENTED, at(3)), QuestionItem(GREEK, at(4))])
    assert NOTE not in words(visit_pdf(plain))
    flag = full_report(questions=[QuestionItem("From 🇵🇹 to 🇬🇧", at(3))])
    text = words(visit_pdf(flag))
    assert "From [flag PT] to [flag GB]" in text and NOTE in text


def test_pain_is_summarised_and_charted(full: bytes, full_text: str) -> None:
    ratings = [p.rating for p in sample_pain()]
    summary = (f"200 ratings from 1 Sep 2026 to 29 Oct 2026: average {fmean(ratings):.1f}, "
               f"latest {ratings[-1]}, highest {max(ratings)}")
    assert summary in full_text
    assert any(page.images for page in PdfReader(io.BytesIO(full)).pages)


def test_sessions_are_the_last_weeks_one_by_one_the_earlier_ones_added_up(
        full_text: str) -> None:
    weeks = sample_weeks()
    assert "Week starting Sessions Completed Exercises done Skipped Stopped for pain" in full_text
    earlier = [sum(column) for column in zip(*(counts(w) for w in weeks[:6]), strict=True)]
    assert ("Earlier weeks, from 7 Sep 2026 " + " ".join(map(str, earlier))) in full_text
    for week in weeks[6:]:
        row = f"{medium_date(week.week_start, LABELS)} " + " ".join(map(str, counts(week)))
        assert row in full_text
    assert "14 Sep 2026" not in full_text  # inside the earlier weeks' row
    totals = [sum(w.sessions for w in weeks), sum(w.completed for w in weeks),
              sum(w.exercises_done for w in weeks), sum(w.exercises_skipped for w in weeks),
              sum(w.exercises_stopped_for_pain for w in weeks)]
    assert "Total " + " ".join(map(str, totals)) in full_text


def test_warning_signs_show_level_what_and_local_time_most_serious_first(
        full_text: str) -> None:
    section = full_text.split("Warning signs I reported ", 1)[1]
    assert section.startswith("Advice I was given What I reported, in my own words When "
                              # Lisbon is UTC+0 in November and UTC+1 on 3 Oct.
                              "Seek care now Chest pain with shortness of breath 13 Nov 07:05 "
                              "Same-day care Numbness or tingling in the arms 3 Oct 19:05 "
                              "Call the doctor Pain getting worse for two weeks 20 Nov 16:45 ")


def test_every_page_is_numbered(full: bytes) -> None:
    texts = pages(full)
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text


def test_the_same_report_gives_the_same_bytes(full: bytes) -> None:
    assert visit_pdf(full_report()) == full
    assert visit_pdf(full_report(generated_at=at(2, 12))) != full


def test_an_empty_report_says_so_in_each_section() -> None:
    data = visit_pdf(empty_report())
    text = words(data)
    assert data.startswith(b"%PDF-")
    for part in ("Questions for my next visit", "Prepared on 1 Dec 2026 with Backcoach.",
                 "My questions No questions saved.", "My pain over time No pain ratings yet.",
                 "My exercise sessions No exercise sessions recorded yet.",
                 "Warning signs I reported None reported.",
                 "The program I am doing now No program set yet."):
        assert part in text
    assert NOTE not in text and "Prepared for" not in text
    assert not any(page.images for page in PdfReader(io.BytesIO(data)).pages)


def test_a_visit_with_nobody_named_and_a_fixed_offset_zone() -> None:
    report = full_report(zone="UTC-03:00", visit=Visit(at(8, 12, 17, 30), "", 45))
    text = words(visit_pdf(report))
    assert text.startswith("Questions for my visit on Tuesday 8 December 2026")
    assert "At 14:30 (45 minutes)" in text
    assert "Same-day care Numbness or tingling in the arms 3 Oct 15:05" in text


def test_typed_names_and_warnings_with_missing_glyphs_do_not_break_it() -> None:
    report = full_report(visit=Visit(at(8, 12), "Dr 王 🩺"), escalations=[
        EscalationItem(at(20), "urgent", "A fever", "熱があります 🤒\x00")])
    text = words(visit_pdf(report))
    assert f"with Dr {PLACEHOLDER} [stethoscope]" in text
    assert f"“{PLACEHOLDER * 3}{PLACEHOLDER * 3} [face with thermometer]”" in text
    assert NOTE in text


def test_thirty_questions_and_a_full_record_all_make_it_in() -> None:
    many = [QuestionItem(f"Question {n}: does it matter if {ACCENTED.lower()}", at(1 + n % 28))
            for n in range(30)]
    report: VisitReport = full_report(questions=many)
    text = words(visit_pdf(report))
    for n in range(30):
        assert f"Question {n}:" in text
