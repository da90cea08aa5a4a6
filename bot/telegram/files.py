"""The files a reply asks for (Attach), made by the documents use case
(bot/services/documents.py) in the person's language; the adapter only sends them."""

from __future__ import annotations

from collections.abc import Mapping

from bot.loaders.texts import Texts
from bot.services.documents import Wording, documents
from bot.services.my_data import ExportFile
from bot.telegram.outbound import FileMaker
from bot.telegram.ports import Ports
from bot.telegram.rendering import render_plain


def labels_of(texts: Texts) -> Mapping[str, str]:
    """The export's own words (content/locales/*/export.toml), without their prefix."""
    return {key[len("export."):]: value for key, value in texts.strings.items()
            if key.startswith("export.")}


def wording(texts: Texts) -> Wording:
    """A language's words as the documents take them: lines as plain text, and labels."""
    return Wording(lambda line: render_plain(line, texts), labels_of(texts))


def file_maker(ports: Ports, telegram_user_id: int, texts: Texts) -> FileMaker:
    """Build the files of each Attach kind for one person."""

    async def make(kind: str) -> list[ExportFile]:
        return await documents(kind, ports.unit_of_work(), ports.renderer,
                               ports.content.catalog, telegram_user_id, ports.clock.now(),
                               wording(texts))

    return make
