"""The page layer of the visit PDF: an A4 document with DejaVu Sans, and the paragraphs,
headings, one-line title and tables the sections (bot.export.pdf) are written with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from fpdf import FPDF, FontFace, XPos, YPos

from bot.export.common import local, title, zone_of
from bot.export.fonts import BOLD, REGULAR, printable
from bot.export.report import VisitReport

FONT = "DejaVu"
AUTHOR = "Backcoach"
TITLE_PT, TITLE_MIN_PT, HEADING_PT, BODY_PT, SMALL_PT = 18.0, 13.0, 13.0, 10.5, 9.0
GREY = 95
LINE_MM, SMALL_LINE_MM, NUMBER_MM = 5.6, 4.6, 8.0
# A heading needs this much room under it, or it starts the next page with its content.
KEEP_WITH_NEXT_MM = 20.0


class Document(FPDF):
    """A4 with DejaVu Sans and a page-number footer."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._footer = footer
        self.add_font(FONT, "", REGULAR)
        self.add_font(FONT, "B", BOLD)
        self.set_margins(18, 15, 18)
        self.set_auto_page_break(True, margin=17)

    def footer(self) -> None:
        """'Page 2 of 3', small and grey, at the foot of every page."""
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(GREY)
        text = self._footer.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(0, 5, text, align="C")


class Layout:
    """A report's document, remembering whether any character had to be replaced."""

    def __init__(self, report: VisitReport) -> None:
        self.report = report
        self.labels = report.labels
        self.tz = zone_of(report)
        self.year = local(report.generated_at, self.tz).year
        self.replaced = False
        self.pdf = Document(self.text(self.labels["footer"]))
        self.pdf.set_title(title(report))
        self.pdf.set_author(AUTHOR)
        self.pdf.set_creator(AUTHOR)
        self.pdf.set_creation_date(local(report.generated_at, UTC))
        self.pdf.add_page()

    def text(self, raw: str) -> str:
        """`raw` as the font can draw it."""
        result = printable(raw)
        self.replaced = self.replaced or result.replaced
        return result.text

    def line(self, raw: str, size: float = BODY_PT, bold: bool = False, grey: bool = False,
             indent: float = 0.0) -> None:
        """A paragraph that wraps (breaking inside words too long for a line)."""
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(GREY if grey else 0)
        height = LINE_MM if size >= BODY_PT else SMALL_LINE_MM
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.multi_cell(self.pdf.epw - indent, height, self.text(raw), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, raw: str, keep_mm: float = KEEP_WITH_NEXT_MM) -> None:
        """A section heading, kept on the same page as the first `keep_mm` of what follows."""
        if self.pdf.will_page_break(keep_mm + 10):
            self.pdf.add_page()
        elif self.pdf.get_y() > self.pdf.t_margin + 1:
            self.pdf.ln(4)
        self.line(raw, size=HEADING_PT, bold=True)
        self.pdf.ln(0.5)

    def fitted_title(self, text: str) -> None:
        """`text` bold, in the largest size from TITLE_PT down that fits one line."""
        size = TITLE_PT
        self.pdf.set_font(FONT, "B", size)
        while size > TITLE_MIN_PT and self.pdf.get_string_width(text) > self.pdf.epw:
            size -= 0.5
            self.pdf.set_font(FONT, "B", size)
        self.pdf.set_text_color(0)
        self.pdf.multi_cell(self.pdf.epw, size * 0.45, text, align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def table(self, heads: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], numeric: bool = False, bold_last: bool = False) -> None:
        """A table with a shaded header row (repeated on a new page); numbers on the right."""
        self.pdf.set_font(FONT, "", 9.5)
        self.pdf.set_text_color(0)
        with self.pdf.table(col_widths=tuple(widths), width=self.pdf.epw, line_height=4.8,
                            borders_layout="HORIZONTAL_LINES", text_align="LEFT",
                            padding=(1.0, 1.2),
                            headings_style=FontFace(emphasis="BOLD", fill_color=235)) as table:
            for index, cells in enumerate([heads, *rows]):
                row = table.row()
                bold = bold_last and index == len(rows)
                for column, cell in enumerate(cells):
                    align = "RIGHT" if numeric and column > 0 else "LEFT"
                    style = FontFace(emphasis="BOLD") if bold else None
                    row.cell(self.text(cell), align=align, style=style)

