"""Turn the domain's replies (string keys and parameters) into Telegram HTML text."""

from __future__ import annotations

import html

from bot.domain.engine.replies import Join, Line, Param
from bot.loaders.texts import Texts


def render_line(line: Line, texts: Texts) -> str:
    """The HTML text of one line: its template with parameters escaped and filled in."""
    values = {name: _render_param(value, texts) for name, value in line.params.items()}
    return texts.template(line.key).format_map(values)


def _render_param(value: Param, texts: Texts) -> str:
    if isinstance(value, Line):
        return render_line(value, texts)
    if isinstance(value, Join):
        return value.separator.join(render_line(item, texts) for item in value.items)
    # Anything a person typed may contain < or &, which would break Telegram's HTML parser.
    return html.escape(str(value), quote=False)


def render_lines(lines: tuple[Line, ...], texts: Texts) -> str:
    """Lines of one message, separated by blank lines."""
    return "\n\n".join(render_line(line, texts) for line in lines)


def render_plain(line: Line, texts: Texts) -> str:
    """A line without HTML tags, for button labels and notices (which Telegram shows raw)."""
    return html.unescape(_strip_tags(render_line(line, texts)))


def _strip_tags(text: str) -> str:
    out, inside = [], False
    for char in text:
        if char == "<":
            inside = True
        elif char == ">" and inside:
            inside = False
        elif not inside:
            out.append(char)
    return "".join(out)
