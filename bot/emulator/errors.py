"""Telegram's refusals as one exception type carrying its status code and exact wording."""

from __future__ import annotations

from typing import Any

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


CANT_EDIT = "Bad Request: message can't be edited"
INLINE_EXPECTED = "Bad Request: inline keyboard expected"
USER_DEACTIVATED = "Forbidden: user is deactivated"
CHAT_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"


class ApiError(Exception):
    """A Bot API refusal: error_code doubles as the HTTP status, as Telegram does."""

    def __init__(
        self, code: int, description: str, retry_after: int | None = None,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        # ResponseParameters: retry_after, or migrate_to_chat_id for a group that moved.
        self.parameters = dict(parameters or {})
        if retry_after is not None:
            self.parameters["retry_after"] = retry_after

    def envelope(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 telling the bot how many whole seconds to wait."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def parse_error(detail: str) -> ApiError:
    """A 400 for text that Telegram cannot turn into entities."""
    return bad_request(f"can't parse entities: {detail}")


def chat_migrated(supergroup_id: int) -> ApiError:
    """The 400 for writing to a group that became a supergroup, naming its new id."""
    return ApiError(400, CHAT_MIGRATED, parameters={"migrate_to_chat_id": supergroup_id})


def user_deactivated() -> ApiError:
    """The 403 for a private chat whose person deleted their account."""
    return ApiError(403, USER_DEACTIVATED)


def too_large() -> ApiError:
    """The 413 Telegram's front answers for an upload over its size limit."""
    return ApiError(413, "Request Entity Too Large")


def unauthorized() -> ApiError:
    """The 401 for a token that is not shaped like a bot token."""
    return ApiError(401, "Unauthorized")


def not_found() -> ApiError:
    """The 404 for a method Telegram does not have."""
    return ApiError(404, "Not Found")
