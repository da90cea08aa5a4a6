"""The deployment files agree with the code: every setting documented, commands that exist.

No network and no container engine: the files are read as text (PyYAML is not a
dependency, so compose.yaml is checked with regular expressions on its known layout).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from bot.config.settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "backcoach.env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
UNIT = DEPLOY / "backcoach.service"
COMPOSE = DEPLOY / "compose.yaml"

# Variables in the env example that are not Backcoach settings: the postgres image's.
COMPOSE_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
# `NAME=value`, or the same commented out as `#NAME=value`.
ASSIGNMENT = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)=(.*)$")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only the values under test count: no stray .env file, no settings from the shell."""
    monkeypatch.chdir(tmp_path)
    for name in setting_names():
        monkeypatch.delenv(name, raising=False)


def setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def env_assignments(text: str) -> list[tuple[bool, str, str]]:
    """(active, NAME, value) for each assignment line, commented out or not."""
    found = []
    for line in text.splitlines():
        match = ASSIGNMENT.match(line.strip())
        if match:
            found.append((match[1] == "", match[2], match[3]))
    return found


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "no FROM"
    return instructions[starts[-1]:]


def unit_directives(text: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, _, value = line.partition("=")
            directives.setdefault(key.strip(), []).append(value.strip())
    return directives


def compose_blocks(text: str, indent: int) -> dict[str, str]:
    """The keys at exactly `indent` spaces, each with the lines nested under it."""
    blocks: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        depth = len(line) - len(line.lstrip(" "))
        key = re.match(r"^([A-Za-z0-9_.-]+):", line.strip())
        if depth == indent and key:
            current = key[1]
            blocks[current] = [line]
        elif depth < indent:
            current = None
        elif current is not None:
            blocks[current].append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def compose_top_level(text: str, key: str) -> str:
    """The lines under a top-level key (services:, volumes:), dedented by two."""
    match = re.search(rf"^{key}:[ \t]*\n((?:(?:[ \t]+.*|[ \t]*)\n)*)", text + "\n", re.M)
    assert match, f"no top-level {key}:"
    return "\n".join(line[2:] for line in match[1].splitlines())


# --- the env example ----------------------------------------------------------------------


def test_env_example_names_every_setting_and_nothing_else() -> None:
    named = [name for _, name, _ in env_assignments(ENV_EXAMPLE.read_text())]
    missing = setting_names() - set(named)
    assert not missing, f"settings missing from {ENV_EXAMPLE.name}: {sorted(missing)}"
    unknown = set(named) - setting_names() - COMPOSE_ONLY
    assert not unknown, f"{ENV_EXAMPLE.name} names unknown settings: {sorted(unknown)}"
    twice = sorted({name for name in named if named.count(name) > 1})
    assert not twice, f"named more than once: {twice}"


def test_every_setting_in_the_env_example_is_explained_by_a_comment() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        match = ASSIGNMENT.match(line.strip())
        if match and match[2] in setting_names():
            above = lines[number - 1].strip() if number else ""
            assert above.startswith("# ") and not ASSIGNMENT.match(above), (
                f"{match[2]}: no explanation on the line above it")


def test_the_env_example_shows_each_default() -> None:
    text = ENV_EXAMPLE.read_text()
    for name in setting_names():
        block = text.split(f"{name}=")[0].rsplit("\n\n", 1)[-1]
        assert "Default:" in block, f"{name}: its comment does not state the default"


def test_active_env_example_values_are_accepted_by_the_settings() -> None:
    active = {name.lower(): value for on, name, value in env_assignments(ENV_EXAMPLE.read_text())
              if on and name not in COMPOSE_ONLY}
    assert active, "nothing is set in the env example"
    # Left as it is, the salt's placeholder stops the bot, and is the only thing that does.
    with pytest.raises(SettingsError) as unchanged:
        load_settings(**active)
    (line,) = str(unchanged.value).splitlines()
    assert line.startswith("PERSON_REF_SALT: ") and "placeholder" in line
    active["person_ref_salt"] = "a-random-value-of-the-operators-own-0123456789"
    try:
        settings = load_settings(**active)
    except SettingsError as error:
        pytest.fail(f"the env example's values are refused:\n{error}")
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.log_format == "json"
    assert not settings.offline


def test_commented_out_env_example_values_are_accepted_too() -> None:
    for on, name, value in env_assignments(ENV_EXAMPLE.read_text()):
        if not on and name not in COMPOSE_ONLY:
            try:
                load_settings(**{name.lower(): value})
            except SettingsError as error:
                pytest.fail(f"#{name}={value} is refused: {error}")


def test_commented_out_values_are_the_defaults() -> None:
    for on, name, value in env_assignments(ENV_EXAMPLE.read_text()):
        if on or name not in setting_names() or value.startswith("REPLACE"):
            continue
        field = Settings.model_fields[name.lower()]
        if field.default is None:
            continue  # an example of a value to set, not a default
        shown = getattr(load_settings(**{name.lower(): value}), name.lower())
        assert shown == field.default, f"#{name}={value} is not the default {field.default!r}"


def test_env_example_has_no_inline_comments_or_quotes() -> None:
    # systemd's EnvironmentFile and compose's env_file read these differently; avoid both.
    for _, name, value in env_assignments(ENV_EXAMPLE.read_text()):
        assert " #" not in value and not value.startswith(("'", '"')), name
        assert value == value.strip(), name


# --- the Dockerfile -----------------------------------------------------------------------


def test_dockerfile_runs_the_backcoach_console_script() -> None:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    entrypoint = [rest for keyword, rest in stage if keyword == "ENTRYPOINT"]
    cmd = [rest for keyword, rest in stage if keyword == "CMD"]
    assert len(entrypoint) == 1 and len(cmd) == 1
    assert json.loads(entrypoint[0]) + json.loads(cmd[0]) == ["backcoach", "run"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts.get("backcoach") == "bot.app.cli:main"


def test_dockerfile_runs_as_an_unprivileged_user() -> None:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    users = [rest for keyword, rest in stage if keyword == "USER"]
    assert users, "the runtime stage sets no USER, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"USER {users[-1]} is root"
    # Nothing after USER switches back.
    last_user = max(i for i, (keyword, _) in enumerate(stage) if keyword == "USER")
    assert all(keyword != "RUN" for keyword, _ in stage[last_user:])


def test_dockerfile_healthcheck_asks_healthz() -> None:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    checks = [rest for keyword, rest in stage if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "/healthz" in checks[0] and "127.0.0.1" in checks[0]
    assert "curl" not in checks[0] and "wget" not in checks[0], "slim images have neither"
    command = json.loads(checks[0][checks[0].index("CMD") + 3:])
    assert command[:2] == ["python", "-c"]
    compile(command[2], "HEALTHCHECK", "exec")
    ports = {rest for keyword, rest in stage if keyword == "EXPOSE"}
    assert ports == {"8080"}


def test_dockerfile_copies_only_the_package_sources() -> None:
    allowed = {"pyproject.toml", "README.md", "bot", "storage", "content", "requirements.lock"}
    copied: set[str] = set()
    for keyword, rest in dockerfile_instructions(DOCKERFILE.read_text()):
        if keyword != "COPY":
            continue
        words = rest.split()
        if any(word.startswith("--from=") for word in words):
            continue
        sources = [word for word in words if not word.startswith("--")][:-1]
        copied |= {source.rstrip("/").removeprefix("./") for source in sources}
    assert copied, "nothing is copied from the build context"
    assert copied <= allowed, f"copies more than the package: {sorted(copied - allowed)}"
    assert {"pyproject.toml", "bot", "storage", "content"} <= copied


def test_dockerfile_installs_into_the_venv_copied_to_the_runtime() -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    assert [rest.split()[0].split("@")[0] for keyword, rest in instructions
            if keyword == "FROM"] == ["python:3.11-slim", "python:3.11-slim"]
    runs = [rest for keyword, rest in instructions if keyword == "RUN"]
    # The locked, hash-checked dependencies; then the project alone, with nothing fetched.
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in runs
    assert "pip install --no-cache-dir --no-deps --no-build-isolation ." in runs
    stage = final_stage(instructions)
    assert ("COPY", "--from=build /opt/venv /opt/venv") in stage
    env = " ".join(rest for keyword, rest in stage if keyword == "ENV")
    assert 'PATH="/opt/venv/bin:$PATH"' in env and "LOG_FORMAT=json" in env
    assert ("STOPSIGNAL", "SIGTERM") in stage


def test_every_base_image_is_pinned_by_digest() -> None:
    froms = [rest for keyword, rest in dockerfile_instructions(DOCKERFILE.read_text())
             if keyword == "FROM"]
    assert froms
    for image in froms:
        assert re.fullmatch(r"\S+@sha256:[0-9a-f]{64}( AS \w+)?", image), image
    # How the digest was chosen and how to refresh it is written next to it.
    assert "imagetools inspect" in DOCKERFILE.read_text()


def test_dockerfile_env_values_are_valid_settings() -> None:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    values = dict(re.findall(r"([A-Z][A-Z0-9_]*)=(\S+)",
                             " ".join(rest for keyword, rest in stage if keyword == "ENV")))
    ours = {name.lower(): value for name, value in values.items() if name in setting_names()}
    assert "webhook_port" in ours
    load_settings(**ours)


def image_env_values() -> dict[str, str]:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    return dict(re.findall(r"([A-Z][A-Z0-9_]*)=(\S+)",
                           " ".join(rest for keyword, rest in stage if keyword == "ENV")))


def test_the_image_serves_health_apart_from_the_webhook_and_checks_it_there() -> None:
    values = image_env_values()
    assert values["HEALTH_PORT"] != values["WEBHOOK_PORT"]
    assert "HEALTH_HOST" not in values  # the default: the container's loopback only
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    (check,) = [rest for keyword, rest in stage if keyword == "HEALTHCHECK"]
    assert "HEALTH_PORT" in check and "WEBHOOK_PORT" not in check
    assert {rest for keyword, rest in stage if keyword == "EXPOSE"} == {values["WEBHOOK_PORT"]}


# --- the systemd unit ---------------------------------------------------------------------


def test_systemd_unit_runs_backcoach() -> None:
    directives = unit_directives(UNIT.read_text())
    (exec_start,) = directives["ExecStart"]
    assert exec_start.endswith("/bin/backcoach run")
    assert exec_start.startswith("/"), "systemd wants an absolute path"
    assert directives.get("EnvironmentFile") == ["/etc/backcoach/backcoach.env"]
    assert directives.get("Restart") in (["on-failure"], ["always"])
    assert directives.get("User") == ["backcoach"]
    assert directives.get("KillSignal") == ["SIGTERM"]
    # Longer than the bot's own grace period, so SIGKILL never cuts a clean stop short.
    (timeout,) = directives["TimeoutStopSec"]
    grace = Settings.model_fields["shutdown_grace_seconds"].default
    assert float(timeout) > grace


def test_systemd_unit_is_hardened_but_can_write_its_folder() -> None:
    directives = unit_directives(UNIT.read_text())
    assert directives.get("NoNewPrivileges") == ["true"]
    assert directives.get("ProtectSystem") == ["strict"]
    assert directives.get("ReadWritePaths") == directives.get("WorkingDirectory")
    assert directives.get("ProtectHome") == ["true"]
    assert directives.get("PrivateTmp") == ["true"]


def test_systemd_unit_filters_system_calls_and_hides_processes() -> None:
    directives = unit_directives(UNIT.read_text())
    assert directives.get("SystemCallFilter") == ["@system-service"]
    assert directives.get("SystemCallArchitectures") == ["native"]
    assert directives.get("ProtectProc") == ["invisible"]
    assert directives.get("ProcSubset") == ["pid"]


# --- compose.yaml -------------------------------------------------------------------------


def test_compose_has_the_two_services() -> None:
    services = compose_blocks(compose_top_level(COMPOSE.read_text(), "services"), 0)
    assert set(services) == {"db", "bot"}
    for name, block in services.items():
        assert re.search(r"^  restart: unless-stopped$", block, re.M), f"{name}: no restart"
    assert re.search(r"^  image: postgres:16$", services["db"], re.M)
    assert re.search(r"^  healthcheck:\n    test: .*pg_isready", services["db"], re.M)
    bot = services["bot"]
    assert re.search(r"^  env_file: backcoach\.env$", bot, re.M)
    assert re.search(r"^    context: \.\.$", bot, re.M)
    assert re.search(r"^    dockerfile: deploy/Dockerfile$", bot, re.M)
    assert re.search(r"^    db:\n      condition: service_healthy$", bot, re.M)
    assert re.search(r"^  stop_grace_period: \d+s$", bot, re.M)
    assert re.search(r'^    - "8080:8080"$', bot, re.M)


def test_compose_database_url_points_at_the_db_service() -> None:
    bot = compose_blocks(compose_top_level(COMPOSE.read_text(), "services"), 0)["bot"]
    match = re.search(r"^    DATABASE_URL: (\S+)$", bot, re.M)
    assert match, "the bot gets no DATABASE_URL"
    url = match[1]
    assert url.startswith("postgresql+asyncpg://") and "@db:5432/" in url
    # With the env example's values filled in, the settings accept it.
    values = {name: value for _, name, value in env_assignments(ENV_EXAMPLE.read_text())}
    filled = re.sub(r"\$\{(\w+)[^}]*\}", lambda m: values[m[1]], url)
    assert load_settings(database_url=filled).database_url == filled


def test_compose_keeps_the_database_in_a_named_volume() -> None:
    text = COMPOSE.read_text()
    volumes = compose_blocks(compose_top_level(text, "volumes"), 0)
    assert volumes, "no named volume"
    db = compose_blocks(compose_top_level(text, "services"), 0)["db"]
    mounted = re.findall(r"^    - (\w+):/var/lib/postgresql/data$", db, re.M)
    assert mounted and set(mounted) <= set(volumes)


def test_compose_variables_are_in_the_env_example() -> None:
    code = "\n".join(line for line in COMPOSE.read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    used = set(re.findall(r"(?<!\$)\$\{(\w+)", code))
    assert used, "compose.yaml uses no variables from the env file"
    named = {name for _, name, _ in env_assignments(ENV_EXAMPLE.read_text())}
    assert used <= named, f"not in the env example: {sorted(used - named)}"
    # Compose substitutes only active values.
    active = {name for on, name, _ in env_assignments(ENV_EXAMPLE.read_text()) if on}
    assert used <= active, f"commented out in the env example: {sorted(used - active)}"


def test_compose_services_are_read_only_without_capabilities_or_new_privileges() -> None:
    services = compose_blocks(compose_top_level(COMPOSE.read_text(), "services"), 0)
    for name, block in services.items():
        assert re.search(r"^  read_only: true$", block, re.M), name
        assert re.search(r"^  cap_drop: \[ALL\]$", block, re.M), name
        assert re.search(r"^  security_opt:\n    - no-new-privileges:true$", block, re.M), name
        assert re.search(r"^  tmpfs:\n(    - .*\n)*    - /tmp$", block, re.M), name
    # The bot gets no capability back; the database's entrypoint needs a few to start.
    assert "cap_add" not in services["bot"]


def test_compose_publishes_only_the_webhook_port() -> None:
    bot = compose_blocks(compose_top_level(COMPOSE.read_text(), "services"), 0)["bot"]
    published = re.findall(r'^    - "(?:[\d.]+:)?(\d+):(\d+)"$', bot, re.M)
    webhook = image_env_values()["WEBHOOK_PORT"]
    assert published == [(webhook, webhook)]
    assert "HEALTH_PORT" not in bot and "HEALTH_HOST" not in bot


def test_the_compose_stop_grace_period_outlasts_the_bot_shutdown() -> None:
    match = re.search(r"stop_grace_period: (\d+)s", COMPOSE.read_text())
    assert match
    assert int(match[1]) > Settings.model_fields["shutdown_grace_seconds"].default
