"""How a refusal of a call that breaks the spec is worded: Telegram's words where it has them.

Telegram's own words come from its Bot API server (tdlib/telegram-bot-api, Client.cpp) and
tdlib, which it runs on. Where Telegram lets a call through that the spec forbids (it clamps
max_connections, ignores unknown update types and parameters, reads "abc" as 0, takes the
first action of a button that has two), the emulator refuses it anyway, so a bot never comes
to rely on it, in words that name the spec's rule: those have no Telegram original.
"""

from __future__ import annotations

from .errors import ApiError

# Telegram's answer when a required parameter is missing, when it has one of its own.
MISSING = {
    "chat_id": "chat_id is empty",
    "text": "Message text is empty",
    "message_id": "Message identifier is not specified",
    "callback_query_id": (
        "query is too old and response timeout expired or query ID is invalid"
    ),
    "photo": "There is no photo in the request",
    "document": "There is no document in the request",
    "action": "Wrong parameter action in request",
    "file_id": "invalid file_id",
}
REQUIRED = 'Parameter "{name}" is required'  # Client.cpp's own, for any other

# What Telegram puts before an error found inside an object of this type.
PREFIX = {
    "InlineKeyboardButton": "Can't parse inline keyboard button: ",
    "KeyboardButton": "Can't parse keyboard button: ",
    "BotCommand": "Can't parse BotCommand: ",
    "BotCommandScope": "Can't parse BotCommandScope: ",
    "MessageEntity": "Can't parse MessageEntity: ",
}
# Telegram's words for a value that should be an object of this type and is not.
NOT_OBJECT = {
    "InlineKeyboardButton": "InlineKeyboardButton must be an Object",
    "KeyboardButton": "KeyboardButton must be a String or an Object",
    "BotCommand": "expected an Object",
    "BotCommandScope": "BotCommandScope must be an Object",
    "MessageEntity": "expected an Object",
    "ReplyParameters": "Object expected as reply parameters",
    "LinkPreviewOptions": "Object expected as link preview options",
    "SuggestedPostParameters": "Object expected as suggested post parameters",
    "SuggestedPostPrice": "Object expected as suggested post price",
}
MARKUP_NOT_OBJECT = "Object expected as reply markup"
# A parameter whose JSON does not parse ("Can't parse {name} JSON object" for the rest).
BAD_JSON = {
    "reply_markup": "Can't parse reply keyboard markup JSON object",
    "reply_parameters": "Can't parse reply parameters JSON object",
    "link_preview_options": "Can't parse link preview options JSON object",
    "suggested_post_parameters": "Can't parse suggested post parameters JSON object",
    "scope": "Can't parse BotCommandScope JSON object",
    "commands": "Can't parse commands JSON object",
    "entities": "Can't parse entities JSON object",
    "caption_entities": "Can't parse entities JSON object",
}
# Telegram's words for a value outside a documented limit, (too short/few, too long/many).
LIMIT = {
    "answerCallbackQuery.text": ("MESSAGE_TOO_LONG", "MESSAGE_TOO_LONG"),
    "InlineKeyboardButton.callback_data": ("BUTTON_DATA_INVALID", "BUTTON_DATA_INVALID"),
    "setWebhook.secret_token": (
        "secret token contains unallowed characters", "secret token is too long",
    ),
    "BotCommand.command": ("Command must be non-empty", "Command length must not exceed 32"),
    "BotCommand.description": (
        "Command description must be non-empty",
        "Command description length must not exceed 256",
    ),
    "setMyCommands.commands": ("BOT_COMMANDS_TOO_MUCH", "BOT_COMMANDS_TOO_MUCH"),
}
# Telegram's words for a value that is not among the documented choices.
CHOICE = {
    "sendChatAction.action": "Wrong parameter action in request",
    "InlineKeyboardButton.style": "invalid button style specified",
    "KeyboardButton.style": "invalid button style specified",
    "MessageEntity.type": "Unsupported type specified",
    "BotCommandScope.type": "Unsupported type specified",
}
LANGUAGE_CODE = "Invalid language code specified"
# tdlib's words for an object of the wrong kind where only one kind goes (editMessageText).
WRONG_KIND = {"InlineKeyboardMarkup": "Inline keyboard expected"}
# A parameter that must be a list and is not.
ARRAY_EXPECTED = {
    "commands": "Expected an Array of BotCommand",
    "entities": "Can't parse entities JSON object",
    "caption_entities": "Can't parse entities JSON object",
}
# tdlib's words for an upload over a file limit, and the server's for a photo's shape.
FILE_TOO_BIG = "File of size {size} bytes is too big for a {what}; the maximum size is {high} bytes"
PHOTO_DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"
NO_ACTION = {"InlineKeyboardButton": "Text buttons are unallowed in the inline keyboard"}
# The Bot API server's words for a field of the wrong JSON type inside an object.
CANT_FIND = 'Can\'t find field "{name}"'
NESTED_TYPE = {
    "Integer": 'Field "{name}" must be a Number',
    "Float": 'Field "{name}" must be of type Number',
    "String": 'Field "{name}" must be of type String',
    "Boolean": 'Field "{name}" must be of type Boolean',
    "Array": 'Field "{name}" must be of type Array',
    "Object": 'Field "{name}" must be of type Object',
}
BAD_NUMBER = 'Field "{name}" must be a valid Number'
ARRAY_OF_ARRAYS = {
    "InlineKeyboardMarkup.inline_keyboard": (
        'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
    ),
    "ReplyKeyboardMarkup.keyboard": 'Field "keyboard" must be an Array of Arrays',
}

# The spec's rules where Telegram has no refusal of its own (see the module docstring).
UNKNOWN_PARAMETER = 'Parameter "{name}" is not in {version}'
UNKNOWN_FIELD = 'Field "{name}" is not in {version}'
TOP_TYPE = 'Field "{name}" must be of type {kind}'
RANGE = 'Field "{name}" must be between {low} and {high}'
LENGTH = 'Field "{name}" must be {low}-{high} {unit} long'
NOT_A_CHOICE = 'Field "{name}" can\'t be "{value}"'
TOO_MANY = 'Field "{name}" can\'t have more than {high} items'
TOGETHER = 'Fields "{first}" and "{second}" can\'t be used together'
NONE_USED = "One of the fields {names} must be used"


def described(message: str) -> str:
    """Telegram's description for an error message: "Bad Request: " and its case rule."""
    if message.startswith("Bad Request"):
        return message
    # Client.cpp keeps ALL_CAPS codes and lowers the first letter of anything else.
    keep = len(message) >= 2 and (message[1] == "_" or message[1].isupper())
    return "Bad Request: " + (message if keep else message[:1].lower() + message[1:])


def refusal(message: str) -> ApiError:
    """A 400 with Telegram's wording for message."""
    return ApiError(400, described(message))
