"""Settings are validated at start with one plain line per bad setting, never echoing secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.logs import person_ref
from bot.config.settings import SettingsError, load_settings

SECRET = "123456:THIS-IS-A-SECRET-TOKEN-VALUE-abcdefgh"
SALT = "4f1b9c0e-a-salt-of-our-own-7d2e6a83"  # 35 characters


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL",
                 "RATE_LIMIT_GLOBAL", "LOG_LEVEL", "PERSON_REF_SALT"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_run_offline_on_sqlite() -> None:
    settings = load_settings()
    assert settings.offline
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"


def test_each_bad_value_gets_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "nonsense-" + SECRET[-10:])
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere")
    monkeypatch.setenv("RATE_LIMIT_GLOBAL", "fast")
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(SettingsError) as error:
        load_settings()
    lines = str(error.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL", "RATE_LIMIT_GLOBAL"]
    assert SECRET[-10:] not in str(error.value)
    assert "Traceback" not in str(error.value)


def test_env_file_is_read_and_token_kept_secret(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={SECRET}\nPERSON_REF_SALT={SALT}\n")
    settings = load_settings()
    assert not settings.offline
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == SECRET


@pytest.mark.parametrize("salt", [
    None,  # unset: the default, public in this repository
    "backcoach",
    "REPLACE-with-a-long-random-value",  # deploy/backcoach.env.example's placeholder
    "",
    "x" * 31,
])
def test_with_a_token_the_person_ref_salt_must_be_a_real_secret(
        monkeypatch: pytest.MonkeyPatch, salt: str | None) -> None:
    """With a known or short key, a log's person reference turns back into a Telegram id
    by trying every id (and an empty one broke every update)."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET)
    if salt is not None:
        monkeypatch.setenv("PERSON_REF_SALT", salt)
    with pytest.raises(SettingsError) as error:
        load_settings()
    (line,) = str(error.value).splitlines()
    assert line.startswith("PERSON_REF_SALT: ") and "32" in line
    assert salt is None or salt == "" or salt not in line
    assert SECRET not in line


def test_a_salt_of_ones_own_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET)
    monkeypatch.setenv("PERSON_REF_SALT", SALT)
    assert load_settings().person_ref_salt.get_secret_value() == SALT


@pytest.mark.parametrize("salt", [None, ""])
def test_offline_keeps_a_default_salt(monkeypatch: pytest.MonkeyPatch, salt: str | None) -> None:
    if salt is not None:
        monkeypatch.setenv("PERSON_REF_SALT", salt)
    settings = load_settings()
    assert settings.offline
    assert person_ref(42, settings.person_ref_salt.get_secret_value())  # an empty key raised
