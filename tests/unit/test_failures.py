"""Which failures of an update are tried again: the unreachable, never the refused."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.telegram.handlers import transient
from storage.errors import is_transient


@pytest.mark.parametrize("error", [
    NetworkError("Bad Gateway (502)"), TimedOut(), ConnectionResetError(), TimeoutError(),
    OperationalError("SELECT 1", {}, Exception("server closed the connection"))])
def test_the_network_and_the_database_are_tried_again(error: BaseException) -> None:
    assert transient(error, is_transient)


@pytest.mark.parametrize("error", [
    # PTB's BadRequest is a NetworkError, yet Telegram would refuse it again.
    BadRequest("Query is too old and response timeout expired or query id is invalid"),
    Forbidden("Forbidden: bot was blocked by the user"), KeyError("bug"),
    IntegrityError("INSERT", {}, Exception("duplicate key")), None])
def test_refusals_and_bugs_are_not(error: BaseException | None) -> None:
    assert not transient(error, is_transient)
