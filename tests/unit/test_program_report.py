"""Program changes (/program) in the visit report: the local days, and one line in the PDF."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from pypdf import PdfReader

from bot.domain.model import Person, ProgramChange, ReminderSettings
from bot.export.pdf import visit_pdf
from bot.export.report import VisitReport
from bot.loaders.content import load_content
from bot.services.visit_export import History, build_report
from bot.telegram.files import labels_of
from bot.telegram.rendering import render_plain

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CONTENT = load_content()
TEXTS = CONTENT.locales.texts("en")


def report_of(changes: list[ProgramChange]) -> VisitReport:
    person = Person(7, 7, "en", NOW - timedelta(days=60))
    person.reminder_settings = ReminderSettings(time_zone="Pacific/Auckland")  # UTC+13
    history = History(person, [], [], [], changes)
    return build_report(history, CONTENT.catalog, NOW, lambda line: render_plain(line, TEXTS),
                        labels_of(TEXTS))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in
                    PdfReader(io.BytesIO(data)).pages)


def test_the_days_the_program_changed_are_local_and_listed_once() -> None:
    changes = [ProgramChange(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "country", "PT", "ES"),
               ProgramChange(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "exercises", "a", "b"),
               # 11:30 UTC is already the next day in Auckland
               ProgramChange(datetime(2026, 12, 3, 11, 30, tzinfo=UTC), "dose", "5", "4",
                             "bird_dog", "sets")]
    report = report_of(changes)
    assert report.program_changed == [date(2026, 12, 1), date(2026, 12, 4)]
    assert "My exercise program was changed on 1 Dec 2026, 4 Dec 2026." in pdf_text(
        visit_pdf(report))


def test_no_line_when_the_program_never_changed() -> None:
    report = report_of([])
    assert report.program_changed == []
    assert "program was changed" not in pdf_text(visit_pdf(report))
