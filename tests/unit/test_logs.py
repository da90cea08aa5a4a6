"""Logging setup: the token never reaches the output, JSON lines parse, person refs are opaque."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Literal

import pytest

from bot.config.logs import REDACTED, RedactingFilter, configure_logging, person_ref
from bot.export.pdf import visit_pdf
from tests.unit.test_export_text import full_report

TOKEN = "123456789:AAH-secret_Token-value"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    chatty = {name: logging.getLogger(name).level for name in (
        "httpx", "httpcore", "telegram", "sqlalchemy", "aiosqlite", "asyncpg", "alembic",
        "bot", "storage", "backcoach")}
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, old in chatty.items():
        logging.getLogger(name).setLevel(old)


def emit_leaky_records() -> None:
    log = logging.getLogger("backcoach.test")
    log.info("token in message %s", TOKEN)
    log.info("calling %s", f"https://api.telegram.org/bot{TOKEN}/sendMessage")
    log.warning("url-encoded %s", f"https://x/bot{TOKEN.replace(':', '%3A')}/getMe")
    log.info("token in extra", extra={"url": f"/bot{TOKEN}/getMe", "obj": Holder()})
    try:
        raise RuntimeError(f"connect failed for https://api.telegram.org/bot{TOKEN}/getUpdates")
    except RuntimeError:
        log.exception("request failed")


class Holder:
    def __str__(self) -> str:
        return f"Holder({TOKEN})"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_never_reaches_the_output(capsys: pytest.CaptureFixture[str],
                                        fmt: Literal["text", "json"]) -> None:
    configure_logging("DEBUG", fmt, secrets=[TOKEN])
    emit_leaky_records()
    err = capsys.readouterr().err

    assert TOKEN not in err
    assert TOKEN.replace(":", "%3A") not in err
    assert "AAH-secret" not in err
    assert err.count(REDACTED) >= 5
    assert "RuntimeError" in err  # the traceback is kept, only the token is gone


def test_bad_format_args_neither_raise_nor_leak() -> None:
    # Through a logger, pytest's own capture handler would trip over the bad args first.
    record = logging.makeLogRecord({"msg": "bad %s %s", "args": (TOKEN,), "name": "x"})
    assert RedactingFilter([TOKEN]).filter(record)
    assert TOKEN not in record.getMessage()
    assert REDACTED in record.getMessage()


def test_json_lines_parse_and_carry_extras(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json", secrets=[TOKEN])
    log = logging.getLogger("backcoach.handlers")
    log.info("handled %s", "start", extra={"update_id": 42, "person_ref": "abc123def456"})
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        log.exception("boom %s", TOKEN)
    log.debug("below the level")

    lines = capsys.readouterr().err.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    first, second = records
    assert first["message"] == "handled start"
    assert first["level"] == "INFO"
    assert first["logger"] == "backcoach.handlers"
    assert first["update_id"] == 42
    assert first["person_ref"] == "abc123def456"
    assert first["timestamp"].endswith("+00:00")
    assert second["message"] == f"boom {REDACTED}"
    assert "ZeroDivisionError" in second["exception"]


def test_text_format_shows_extras(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text")
    logging.getLogger("bot.x").info("hello", extra={"update_id": 7})
    line = capsys.readouterr().err.strip()
    assert line.endswith("INFO bot.x: hello update_id=7")


def test_reconfiguring_replaces_the_handler(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text")
    configure_logging("INFO", "json")
    logging.getLogger("bot.x").info("once")
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["message"] == "once"


def test_http_client_loggers_are_quieted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", "text", secrets=[TOKEN])
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot.../getMe")
    logging.getLogger("httpcore.connection").debug("connect_tcp.started")
    assert capsys.readouterr().err == ""
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING


def test_libraries_say_only_warnings_unless_debug(capsys: pytest.CaptureFixture[str]) -> None:
    """fontTools logged every PDF's glyph names at INFO, and APScheduler six lines a second,
    which scrolled the offline chat away."""
    configure_logging("INFO", "text")
    visit_pdf(full_report())  # fontTools subsets the fonts of every PDF
    logging.getLogger("apscheduler.executors.default").info('Running job "tick"')
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    logging.getLogger("bot.telegram.handlers").info("update handled")
    logging.getLogger("storage.migrate").info("schema current")
    err = capsys.readouterr().err
    assert "fontTools" not in err and "Running job" not in err
    assert "was missed" in err  # a library's warning still shows
    assert "update handled" in err and "schema current" in err  # our own INFO does too


def test_at_debug_libraries_speak_but_not_what_people_typed(
        capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", "text")
    logging.getLogger("bot.telegram.outbound").debug("ours")
    logging.getLogger("apscheduler.executors.default").info('Running job "tick"')
    application = logging.getLogger("telegram.ext.Application")
    application.info("Application started")
    application.debug("Processing update {'message': {'text': 'my back hurts'}}")
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] ('my back hurts',)")
    logging.getLogger("asyncpg").debug("my back hurts")
    err = capsys.readouterr().err
    assert "ours" in err and "Running job" in err and "Application started" in err
    assert "my back hurts" not in err


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError):
        configure_logging("LOUD")


def test_person_ref_is_stable_opaque_and_keyed() -> None:
    ref = person_ref(987654321, "salt")
    assert ref == person_ref(987654321, "salt")
    assert len(ref) == 12
    assert all(c in "0123456789abcdef" for c in ref)
    assert "987654321" not in ref
    assert person_ref(987654322, "salt") != ref
    assert person_ref(987654321, "other salt") != ref
    with pytest.raises(ValueError):
        person_ref(1, "")
