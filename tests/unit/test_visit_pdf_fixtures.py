"""The visit PDF of one day, one week and three months of data, compared by content with the
outlines kept in tests/unit/fixtures/visit_pdf/ (pages, images, every line of text), and
the report kept to a page or two however long the history.

After a deliberate change to the report, write the outlines again and look at the pages:
    .venv/bin/python -m tests.unit.report_fixtures --write --png /tmp/visit-pages
then read the diff of the .txt files before committing them.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bot.export.pdf import visit_pdf
from bot.services.visit_export import build_report
from bot.telegram.files import labels_of
from bot.telegram.rendering import render_plain
from tests.unit.report_fixtures import (
    CONTENT,
    NOW,
    SCENARIOS,
    TEXTS,
    expected_path,
    long_history,
    pdf_outline,
    report,
)


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def rendered(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    name = str(request.param)
    return name, visit_pdf(report(name))


def test_each_rendering_matches_its_kept_outline(rendered: tuple[str, bytes]) -> None:
    name, data = rendered
    expected = expected_path(name).read_text(encoding="utf-8")
    assert pdf_outline(data) == expected, (
        f"{name}: the PDF's content changed; if that was meant, see this file's docstring")


def test_each_rendering_is_a_page_or_two_with_the_chart(rendered: tuple[str, bytes]) -> None:
    _name, data = rendered
    pages = PdfReader(io.BytesIO(data)).pages
    assert 1 <= len(pages) <= 2
    assert sum(len(page.images) for page in pages) == 1


def test_the_title_is_the_first_line_whole(rendered: tuple[str, bytes]) -> None:
    _name, data = rendered
    first = pdf_outline(data).splitlines()[1]
    assert first.startswith("Questions for my ")
    assert first.endswith(("visit", "2026")), first  # the year never on a line of its own


def test_the_same_history_renders_the_same_bytes() -> None:
    assert visit_pdf(report("one_week")) == visit_pdf(report("one_week"))


def test_twenty_thousand_records_still_make_two_pages() -> None:
    """A year of 20,000 records once made a 38 s, 1.3 MB PDF of dozens of pages."""
    built = build_report(long_history(20_000), CONTENT.catalog, NOW,
                         lambda line: render_plain(line, TEXTS), labels_of(TEXTS))
    data = visit_pdf(built)
    assert len(PdfReader(io.BytesIO(data)).pages) <= 2
    assert len(data) < 400_000
    outline = pdf_outline(data)
    for level in ("Seek care now", "Same-day care", "Call the doctor"):
        assert level in outline  # every level of warning sign is still there
