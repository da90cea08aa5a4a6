"""Which database failures are worth another try, told apart where SQLAlchemy is known."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError


def is_transient(error: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (not a refused write)."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    return False
