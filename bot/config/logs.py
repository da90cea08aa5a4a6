"""Logging setup: text or JSON lines on stderr, secrets redacted, people referred to opaquely."""

from __future__ import annotations

import datetime as dtm
import hashlib
import hmac
import json
import logging
import re
import sys
from collections.abc import Iterable
from typing import Any, Literal, TextIO
from urllib.parse import quote

REDACTED = "[redacted]"

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime"}
)

# Our own code logs under these names: LOG_LEVEL applies to them as given.
OWN_LOGGERS = ("bot", "storage", "backcoach")
# Libraries that would log what people typed stay at these levels or above, even at DEBUG:
# python-telegram-bot logs whole updates and request parameters at DEBUG, the database
# drivers log statements with their parameters, and httpx/httpcore log full request URLs,
# which hold the bot token.
_CONTENT_FLOORS = {
    "telegram": logging.INFO, "httpx": logging.WARNING, "httpcore": logging.WARNING,
    "sqlalchemy": logging.WARNING, "aiosqlite": logging.WARNING, "asyncpg": logging.WARNING,
    "alembic": logging.WARNING,
}


def person_ref(telegram_user_id: int, salt: str) -> str:
    """A short keyed hash that lets logs correlate one person without revealing their id."""
    if not salt:
        # Unkeyed, the ~10-digit id space is small enough to reverse by brute force.
        raise ValueError("person_ref needs a non-empty secret salt")
    digest = hmac.new(salt.encode(), str(telegram_user_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


class _Redactor:
    """Replaces each secret (and its URL-encoded form) with REDACTED."""

    __slots__ = ("_pattern",)

    def __init__(self, secrets: Iterable[str]) -> None:
        variants = {form for secret in secrets if secret for form in (secret, quote(secret))}
        # Longest first so a secret that contains another is replaced whole.
        ordered = sorted(variants, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str) -> str:
        return text if self._pattern is None else self._pattern.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Scrubs secrets from a record's message, arguments, exception and string extras."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._redact = _Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        # Rendering now means no later formatter sees the raw args, e.g. a URL with the token.
        try:
            message = record.getMessage()
        except Exception:
            # A bad format string must not escape into the caller, nor leak via handleError.
            message = f"{record.msg} {record.args!r}"
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        for key, value in _extras(record).items():
            if isinstance(value, str):
                setattr(record, key, self._redact(value))
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}


class _RedactingFormatter(logging.Formatter):
    """Second line of defence: redacts the finished line, covering non-string extras too."""

    def __init__(self, redact: _Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then redact."""
        return self._redact(self._render(record))

    def _render(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = _extras(record)
        if not extras:
            return line
        first, newline, rest = line.partition("\n")
        pairs = " ".join(f"{key}={value}" for key, value in extras.items())
        return f"{first} {pairs}{newline}{rest}"


class _JsonFormatter(_RedactingFormatter):
    """One JSON object per line: timestamp, level, logger, message, extras, exception."""

    def _render(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": dtm.datetime.fromtimestamp(record.created, dtm.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, default=str, ensure_ascii=False)


_current: dict[str, Any] = {}


def redact_also(secret: str) -> None:
    """Add a secret learnt after start (the stored webhook secret) to what is never printed."""
    if not _current or not secret or secret in _current["secrets"]:
        return
    configure_logging(_current["level"], _current["fmt"], [*_current["secrets"], secret])


class _BackcoachHandler(logging.StreamHandler[TextIO]):
    """Marks the handler we installed so a second configure_logging replaces it."""


def configure_logging(
    level: str = "INFO",
    fmt: Literal["text", "json"] = "text",
    secrets: Iterable[str] = (),
) -> None:
    """Send all logging to stderr as text or JSON lines, with `secrets` never printed."""
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise ValueError(f"unknown log level {level!r}")
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown log format {fmt!r}")
    secret_list = list(secrets)
    redact = _Redactor(secret_list)
    handler = _BackcoachHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secret_list))
    handler.setFormatter(
        _JsonFormatter(redact)
        if fmt == "json"
        else _RedactingFormatter(redact, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _BackcoachHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    # Every other library says only warnings unless LOG_LEVEL=DEBUG: at INFO fontTools logs
    # each PDF's glyph names and APScheduler six lines a second, which buried our own lines
    # (and scrolled the offline chat away).
    libraries = numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING)
    root.setLevel(libraries)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(numeric)
    # Set explicitly: SQLAlchemy picks its own default only for a logger left unset.
    for name, floor in _CONTENT_FLOORS.items():
        logging.getLogger(name).setLevel(max(libraries, floor))
    _current.update(level=level, fmt=fmt, secrets=secret_list)
