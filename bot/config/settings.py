"""Settings from environment variables or a .env file, checked once at start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.limits.backlog import MAX_WAITING_PER_PERSON

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/backcoach.sqlite3"
OFFICIAL_API = "https://api.telegram.org/bot"
# Public (it is in this repository), so offline only: with a token the bot refuses it.
OFFLINE_SALT = "backcoach"
MIN_SALT_LENGTH = 32


MIN_CLINICIAN_TOKEN = 16


class SettingsError(Exception):
    """One or more settings are wrong; the message has one line per setting."""


class Settings(BaseSettings):
    """Everything an operator can set. Each field is an environment variable of its name."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Token from @BotFather. Without it the bot runs offline.")
    telegram_api_base_url: str = Field(
        default=OFFICIAL_API,
        description="Bot API prefix before the token, e.g. http://127.0.0.1:8081/bot")
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite+aiosqlite:///path or postgresql+asyncpg://...")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    default_language: str = Field(default="en", min_length=2, max_length=8)
    rate_limit_per_chat: float = Field(default=1.0, gt=0, le=100,
                                       description="Messages per second to one chat")
    rate_limit_global: float = Field(default=30.0, gt=0, le=10_000,
                                     description="Messages per second in total")
    max_concurrent_updates: int = Field(default=64, ge=1, le=10_000)
    max_waiting_per_person: int = Field(
        default=MAX_WAITING_PER_PERSON, ge=1, le=1000,
        description="How many of one person's updates may wait behind the one running; "
                    "beyond it (a flood) the excess is let go with one notice, except "
                    "anything that may carry a warning sign")
    emulator_port: int = Field(default=0, ge=0, le=65535,
                               description="Port of the offline emulator (0: any free port)")
    chat_files_dir: Path = Field(
        default=Path("data/received"),
        description="Folder where the terminal chat saves the files the bot sends")
    person_ref_salt: SecretStr = Field(
        default=SecretStr(OFFLINE_SALT), validate_default=True,
        description="Key for the opaque person references written to logs; with a token, "
                    f"a secret of at least {MIN_SALT_LENGTH} characters")
    webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS URL Telegram posts updates to; set it to serve a webhook "
                    "instead of polling. Its path is the path served.")
    webhook_host: str = Field(default="0.0.0.0", description="Address the webhook binds")
    webhook_port: int = Field(default=8080, ge=1, le=65535,
                              description="Port of the webhook (nothing else is served there)")
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="X-Telegram-Bot-Api-Secret-Token value; generated and stored in the "
                    "database when unset, so every replica shares it")
    webhook_max_connections: int = Field(default=40, ge=1, le=100,
                                         description="Concurrent deliveries Telegram may make")
    webhook_max_body_bytes: int = Field(default=1_048_576, ge=1024, le=50_000_000,
                                        description="Larger webhook requests are refused")
    health_host: str = Field(
        default="127.0.0.1",
        description="Address /healthz, /readyz and /metrics listen on: this machine only, "
                    "unless the operator's own network needs them (0.0.0.0 in a container)")
    health_port: int | None = Field(
        default=None, ge=1, le=65535,
        description="Serve /healthz, /readyz and /metrics on this port (unset: not served); "
                    "never the webhook's")
    public_base_url: str | None = Field(
        default=None,
        description="Public address of the pages the bot serves (a shared progress page), "
                    "like https://bot.example.org. In webhook mode they are served on the "
                    "webhook's port and this defaults to the webhook's origin; in polling "
                    "mode they are served (on PAGES_HOST:PAGES_PORT) only when it is set")
    pages_host: str = Field(default="0.0.0.0",
                            description="Address the pages listen on in polling mode")
    pages_port: int | None = Field(
        default=None, ge=0, le=65535,
        description="Port of the pages in polling mode (unset: 8080); offline, unset picks "
                    "a free port on 127.0.0.1")
    pages_per_minute: float = Field(
        default=30.0, gt=0, le=6000,
        description="Page requests a minute one client address may make, after a burst")
    pages_burst: int = Field(default=10, ge=1, le=1000,
                             description="Page requests one client address may make at once")
    pages_address_header: str | None = Field(
        default=None,
        description="Header your reverse proxy sets to the client's address (e.g. "
                    "X-Forwarded-For; its last entry is used) so each visitor has their own "
                    "rate limit; unset, the connection's address")
    answer_presses_after: float = Field(
        default=8.0, ge=0, le=14,
        description="A button press that queued this many seconds (a busy bot) is answered "
                    "before it is handled; Telegram refuses answers after about 15 s")
    keep_warning_text_days: int = Field(
        default=90, ge=1, le=3650,
        description="Days the words of a message that raised a warning sign are kept; the "
                    "decision itself (date, level, rule) stays as long as the history")
    keep_replies_hours: int = Field(
        default=24, ge=1, le=168,
        description="Hours an answer that never went out is kept with its update, to be "
                    "sent if Telegram delivers the update again (it stops after a day)")
    keep_history_days: int = Field(
        default=365, ge=28, le=3650,
        description="Days sessions, pain ratings, warning-sign decisions, sent reminders "
                    "and answered questions are kept")
    forget_blocked_after_days: int = Field(
        default=0, ge=0, le=3650,
        description="Delete everything about a person who has blocked the bot for this "
                    "many days, as /forget would (0: never)")
    document_cooldown_seconds: int = Field(
        default=120, ge=0, le=86_400,
        description="A person gets each of /export, /mydata and /progress at most once in "
                    "this many seconds (0: no cooldown)")
    render_workers: int = Field(
        default=1, ge=1, le=32,
        description="Worker processes that draw documents (the visit PDF, charts); one "
                    "leaves the other core to everyone's messages")
    render_timeout_seconds: float = Field(
        default=60.0, gt=0, le=600,
        description="A document taking longer to draw is given up (the worker is "
                    "stopped) and the person is told to try again later")
    shutdown_grace_seconds: float = Field(
        default=8.0, ge=0, le=60,
        description="On SIGTERM, how long updates and sends in progress get to finish")
    # Program links a provider hands over (`backcoach prescribe`, the form page).
    program_link_days: int = Field(
        default=30, ge=1, le=365,
        description="Days a new program link works (`backcoach prescribe --days` overrides)")
    bot_username: str | None = Field(
        default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$",
        description="The bot's Telegram username for program links, without @; unset, it "
                    "is asked of Telegram (getMe), or is the emulator's offline")
    prescribe_form: bool = Field(
        default=False,
        description="Serve the clinicians' form page that creates program links (needs "
                    "CLINICIAN_TOKEN)")
    clinician_token: SecretStr | None = Field(
        default=None, validate_default=True,
        description="The password clinicians type on the form page; at least "
                    f"{MIN_CLINICIAN_TOKEN} characters")

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = str(value.get_secret_value() if isinstance(value, SecretStr) else value).strip()
        head, _, tail = text.partition(":")
        if not head.isdigit() or len(tail) < 20:
            # Never echo the value: it may be a real token pasted with a typo.
            raise ValueError("does not look like a BotFather token (digits:letters)")
        return text

    @field_validator("person_ref_salt", mode="before")
    @classmethod
    def _salt(cls, value: object, info: ValidationInfo) -> object:
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value or "")
        if info.data.get("telegram_bot_token") is None:
            # Offline (or the token itself was refused, on a line of its own): the logs stay
            # on this machine, and an empty key would make every person_ref() raise.
            return text or OFFLINE_SALT
        # Telegram ids are few enough to try them all: with a key anyone may know, a log's
        # person reference turns back into the person's id.
        why = ("is empty" if not text else
               "is the public default" if text == OFFLINE_SALT else
               "is still the example's placeholder" if text.startswith("REPLACE") else
               f"is shorter than {MIN_SALT_LENGTH} characters"
               if len(text) < MIN_SALT_LENGTH else None)
        if why is not None:
            # Never echo the value: it may be the real secret, mistyped.
            raise ValueError(f"{why}; with a token, set a random secret of at least "
                             f"{MIN_SALT_LENGTH} characters, e.g. from "
                             "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`")
        return text

    @field_validator("clinician_token", mode="before")
    @classmethod
    def _clinician_token(cls, value: object, info: ValidationInfo) -> object:
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value or "")
        if not info.data.get("prescribe_form"):
            return text or None
        # Never echo the value: it may be the real password, mistyped.
        if len(text) < MIN_CLINICIAN_TOKEN or text.startswith("REPLACE"):
            raise ValueError(f"PRESCRIBE_FORM is on: set a random secret of at least "
                             f"{MIN_CLINICIAN_TOKEN} characters, not the example's placeholder")
        return text

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("https://", "http://")) or "/" not in value[8:]:
            raise ValueError("must be a full URL with a path, like https://bot.example.org/tg")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = str(value.get_secret_value() if isinstance(value, SecretStr) else value)
        if not 1 <= len(text) <= 256 or not all(c.isascii() and (c.isalnum() or c in "_-")
                                                for c in text):
            raise ValueError("1-256 characters: letters, digits, _ and - only")
        return text

    @field_validator("health_port")
    @classmethod
    def _health_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        if (value is not None and info.data.get("webhook_url") is not None
                and value == info.data.get("webhook_port")):
            # Anything on the webhook's port is public; the metrics count warning signs.
            raise ValueError("must differ from WEBHOOK_PORT: health and metrics are served "
                             "apart from the public webhook")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("https://", "http://")) or "?" in value or "#" in value:
            raise ValueError("must be a URL like https://bot.example.org")
        return value.rstrip("/")

    @field_validator("pages_port")
    @classmethod
    def _pages_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value and value == info.data.get("health_port"):
            # Anything on the pages' port is public; the metrics count warning signs.
            raise ValueError("must differ from HEALTH_PORT")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @property
    def offline(self) -> bool:
        """True when no token is set: the bot talks to the built-in emulator."""
        return self.telegram_bot_token is None

    def sqlite_path(self) -> Path | None:
        """The file of a SQLite database URL, if it is one."""
        prefix = "sqlite+aiosqlite:///"
        rest = self.database_url.removeprefix(prefix)
        return Path(rest) if self.database_url.startswith(prefix) and rest else None


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("\n".join(lines)) from None
