"""QR codes of program links (segno: pure Python, no image library needed)."""

from __future__ import annotations

import io

import segno


def qr_png(link: str, scale: int = 10) -> bytes:
    """The link as a black-on-white QR code PNG, with the standard quiet zone of 4 modules.

    Error correction M (15%) survives a crease or a smudge on a printed page; segno raises
    it further when the link still fits the same size.
    """
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_data_uri(link: str, scale: int = 6) -> str:
    """The same code as a data: URI, for a page that loads nothing from elsewhere."""
    return str(segno.make(link, error="m", micro=False).png_data_uri(scale=scale, border=4))
