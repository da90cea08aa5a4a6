"""The terminal chat keeps the files the bot sends in a folder, so they can be opened."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from .model import StoredFile

# Names the bot chose are used as they are, but never as a path: no folders, no dot files.
_UNSAFE = set('/\\:*?"<>|\0')


def _clean_name(name: str) -> str:
    cleaned = "".join("_" if c in _UNSAFE or ord(c) < 32 else c for c in name).strip(" .")
    return cleaned[:120]


class FileFolder:
    """Saves each file under its own name in one folder; an existing file is never replaced."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _name(self, file: StoredFile, message_id: int | None) -> str:
        name = _clean_name(file.filename or "")
        if name:
            return name
        extension = mimetypes.guess_extension(file.mime_type) or ""
        return f"{file.kind}-{message_id or 0}{extension}"

    def save(self, file: StoredFile, message_id: int | None) -> Path:
        """Write the file's bytes and return where: name.pdf, else name-2.pdf, name-3.pdf..."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = Path(self._name(file, message_id))
        path = self.folder / name
        number = 1
        while True:
            try:
                # "x" refuses to open a file that exists: an earlier export is kept.
                with path.open("xb") as out:
                    out.write(file.data)
                return path
            except FileExistsError:
                number += 1
                path = self.folder / f"{name.stem}-{number}{name.suffix}"
