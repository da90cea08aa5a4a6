"""The part of the Bot API specification the emulator checks calls against (bot_api.json)."""
