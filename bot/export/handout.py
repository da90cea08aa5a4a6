"""The one-page printable handout of a program link: the QR code, the program with its
amounts, the provider's note, the next visit, the safety rules and the disclaimer.

Everything it says comes worded (bot/services/prescribe.py puts the content into the
handout's language); this module only lays it out on A4 with the visit PDF's font.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FontFace, XPos, YPos

from bot.export.fonts import printable
from bot.export.pdf_layout import FONT, GREY, Document

QR_MM = 62.0
AUTHOR = "Backcoach"


@dataclass(frozen=True)
class Handout:
    """A handout's words, ready to print (every string in the handout's language)."""

    title: str
    set_on: str  # "Set by your healthcare provider on 7 Dec 2026."
    steps: tuple[str, ...]  # how to open the link, one line each
    valid_until: str
    link: str
    qr_png: bytes
    program_heading: str
    heads: tuple[str, str]
    program: tuple[tuple[str, str], ...]  # (exercise, amount in words)
    note: str | None  # "Note from your provider: ..."
    visit: str | None  # "Next visit: ..."
    safety_heading: str
    safety: tuple[str, ...]
    disclaimer: str
    source: str
    created_at: datetime


def handout_pdf(handout: Handout) -> bytes:
    """The handout as a one-page A4 PDF (the same bytes for the same handout)."""
    pdf = Document("")
    pdf.set_title(_plain(handout.title))
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_creation_date(handout.created_at.astimezone(UTC))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _text(pdf, handout.title, 20, bold=True, height=9)
    _text(pdf, handout.set_on, 11, grey=True)
    pdf.ln(4)
    _qr_and_steps(pdf, handout)
    _text(pdf, handout.program_heading, 14, bold=True, height=7)
    _program(pdf, handout)
    for extra in (handout.note, handout.visit):
        if extra:
            pdf.ln(2)
            _text(pdf, extra, 11.5)
    pdf.ln(4)
    _text(pdf, handout.safety_heading, 13, bold=True, height=7)
    for rule in handout.safety:
        _text(pdf, rule, 11)
    pdf.ln(3)
    _text(pdf, handout.disclaimer, 9.5, grey=True, height=4.6)
    pdf.ln(1)
    _text(pdf, handout.source, 8, grey=True, height=4)
    if pdf.page_no() != 1 or pdf.get_y() > pdf.h - pdf.b_margin:
        raise ValueError("the handout does not fit on one page")
    return bytes(pdf.output())


def _qr_and_steps(pdf: Document, handout: Handout) -> None:
    """The code on the left, what to do with it on the right, the link under both."""
    top = pdf.get_y()
    pdf.image(io.BytesIO(handout.qr_png), x=pdf.l_margin, y=top, w=QR_MM, h=QR_MM)
    left = pdf.l_margin + QR_MM + 6
    pdf.set_xy(left, top + 3)
    for number, step in enumerate(handout.steps, start=1):
        pdf.set_x(left)
        _text(pdf, f"{number}. {step}", 12, width=pdf.w - pdf.r_margin - left, height=6)
        pdf.ln(1.5)
    pdf.set_x(left)
    _text(pdf, handout.valid_until, 10.5, bold=True, width=pdf.w - pdf.r_margin - left)
    pdf.set_y(max(pdf.get_y(), top + QR_MM) + 1)
    _text(pdf, handout.link, 8.5, grey=True, height=4)
    pdf.ln(4)


def _program(pdf: Document, handout: Handout) -> None:
    pdf.set_font(FONT, "", 11.5)
    pdf.set_text_color(0)
    with pdf.table(col_widths=(95, 79), width=pdf.epw, line_height=6.2,
                   borders_layout="HORIZONTAL_LINES", text_align="LEFT", padding=(1.2, 1.5),
                   headings_style=FontFace(emphasis="BOLD", fill_color=235)) as table:
        for cells in (handout.heads, *handout.program):
            row = table.row()
            for cell in cells:
                row.cell(_plain(cell))


def _text(pdf: Document, raw: str, size: float, bold: bool = False, grey: bool = False,
          width: float = 0.0, height: float | None = None) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(GREY if grey else 0)
    x = pdf.get_x() if width else pdf.l_margin
    pdf.set_x(x)
    pdf.multi_cell(width or pdf.epw, height or size * 0.5, _plain(raw), align="L",
                   new_x=XPos.LEFT if width else XPos.LMARGIN, new_y=YPos.NEXT)


def _plain(raw: str) -> str:
    return printable(raw).text
