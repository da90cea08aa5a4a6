"""Telegram's HTML and MarkdownV2 parsing as the emulator implements it."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot

from bot.emulator import ApiError, Emulator
from bot.emulator.entities import utf16_len
from bot.emulator.formatting import format_text
from bot.emulator.html_parse import parse_html
from bot.emulator.markdown import parse_markdown_v2

TOKEN = "31337:AAE_htmlParsingTestToken_0123456789abc"
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@given(TEXT)
def test_escaped_text_comes_back_unchanged(text: str) -> None:
    assert parse_html(html.escape(text, quote=False)) == (text, [])


@given(TEXT.filter(bool))
def test_bold_covers_the_whole_text_in_utf16_units(text: str) -> None:
    plain, entities = parse_html(f"<b>{html.escape(text)}</b>")
    assert plain == text
    assert entities == [{"type": "bold", "offset": 0, "length": utf16_len(text)}]


@given(TEXT)
def test_markdown_v2_escapes_round_trip(text: str) -> None:
    escaped = "".join("\\" + c if c in "_*[]()~`>#+-=|{}.!\\" else c for c in text)
    assert parse_markdown_v2(escaped) == (text, [])


def test_nesting_links_code_and_quotes() -> None:
    text, entities = parse_html(
        '<b>a <i>b</i></b> <a href="example.org">c</a> <pre><code class="language-py">d'
        "</code></pre> <blockquote expandable>e</blockquote> <tg-spoiler>f</tg-spoiler>"
    )
    assert text == "a b c d e f"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "italic", "offset": 2, "length": 1},
        {"type": "text_link", "offset": 4, "length": 1, "url": "http://example.org"},
        {"type": "pre", "offset": 6, "length": 1, "language": "py"},
        {"type": "expandable_blockquote", "offset": 8, "length": 1},
        {"type": "spoiler", "offset": 10, "length": 1},
    ]


def test_entities_decode_like_tdlib() -> None:
    # A lone & is literal, the semicolon is optional, unknown names stay as typed.
    assert parse_html("Tom & Jerry &lt3 &#x1F600; &nbsp; &#65")[0] == "Tom & Jerry <3 😀 &nbsp; A"
    assert parse_html("<B>x</B>")[1] == [{"type": "bold", "offset": 0, "length": 1}]


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("<a href=x y>", 'Expected equal sign in declaration of an attribute of the tag "a" at '
                         "byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_more_html_errors(source: str, detail: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_html(source)
    assert caught.value.description == f"Bad Request: can't parse entities: {detail}"


def test_commands_links_and_mentions_are_found_after_astral_characters() -> None:
    body = format_text("😀 /help@backcoach_bot https://example.org/a, @someone", None)
    assert body["entities"] == [
        {"type": "bot_command", "offset": 3, "length": 19},
        {"type": "url", "offset": 23, "length": 21},
        {"type": "mention", "offset": 46, "length": 8},
    ]


def test_surrounding_whitespace_is_trimmed_and_entities_shifted() -> None:
    body = format_text("\n  <b>hi</b>  \n", "HTML")
    assert body == {"text": "hi", "entities": [{"type": "bold", "offset": 0, "length": 2}]}


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    async with Emulator(limits=None) as emu, Bot(TOKEN, base_url=emu.base_url) as ptb:
        emu.user("Ana")
        yield ptb


@pytest.mark.parametrize(
    "source",
    [
        "😀 <b>bold 🎉</b> and <i>it</i>",
        '<a href="https://example.org/x">link</a> <code>x &lt; y</code>',
        "<s>old</s> <u>under</u> <b>nested <i>both</i></b>",
    ],
)
async def test_ptb_rebuilds_the_same_html_from_our_entities(bot: Bot, source: str) -> None:
    sent = await bot.send_message(100_000_001, source, parse_mode="HTML")
    assert sent.text_html == source
