"""The files a reply asks for (Attach), made by the documents use case
(bot/services/documents.py) in the person's language; the adapter only sends them."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.engine.replies import Line
from bot.loaders.texts import Texts
from bot.services.documents import Wording, documents
from bot.services.my_data import ExportFile
from bot.services.sharing import make_address
from bot.telegram.outbound import FileMaker
from bot.telegram.ports import Ports
from bot.telegram.rendering import render_plain
from bot.web.share_page import share_address

SHARE_LINK = "share_link:"


async def _share_link(ports: Ports, telegram_user_id: int, ref: str, texts: Texts,
                      pages_url: str | None) -> list[ExportFile]:
    """The message with a shared page's address; its token is made now, only its hash kept."""
    made = None if pages_url is None else await make_address(
        ports.unit_of_work(), telegram_user_id, ref, ports.clock.now())
    if made is None or pages_url is None:
        text = render_plain(Line("share.link_failed"), texts)
    else:
        url = share_address(pages_url, made[0])
        text = render_plain(Line("share.link_message", {"url": url}), texts)
    return [ExportFile("share-link.txt", text.encode(), as_text=True)]


def labels_of(texts: Texts) -> Mapping[str, str]:
    """The export's own words (content/locales/*/export.toml), without their prefix."""
    return {key[len("export."):]: value for key, value in texts.strings.items()
            if key.startswith("export.")}


def wording(texts: Texts) -> Wording:
    """A language's words as the documents take them: lines as plain text, and labels."""
    return Wording(lambda line: render_plain(line, texts), labels_of(texts))


def file_maker(ports: Ports, telegram_user_id: int, texts: Texts,
               pages_url: str | None = None) -> FileMaker:
    """Build the files of each Attach kind for one person; `pages_url`: where shared pages
    are reached from outside (None: not served)."""

    async def make(kind: str) -> list[ExportFile]:
        if kind.startswith(SHARE_LINK):
            return await _share_link(ports, telegram_user_id, kind[len(SHARE_LINK):], texts,
                                     pages_url)
        return await documents(kind, ports.unit_of_work(), ports.renderer,
                               ports.content.catalog, telegram_user_id, ports.clock.now(),
                               wording(texts))

    return make
