#!/usr/bin/env python3
"""Set up a local virtual environment on demand, then run backcoach or the tests in it.

Usage (from anywhere):
    python3 deploy/dev.py run          # start the bot (offline emulator when no token is set)
    python3 deploy/dev.py test         # run the whole test suite (installing the Debian
                                       # packages of deploy/system-packages.txt, as root)
    python3 deploy/dev.py lint         # ruff, mypy --strict and the layer contracts
    python3 deploy/dev.py lock [--upgrade]   # refresh the lock files (needs uv, installed here)
    python3 deploy/dev.py ARGS...      # any other backcoach subcommand (chat, migrate, ...)

Only the Python standard library is used here, so this works on a machine that has
nothing but Python 3.11+. Dependencies come from requirements-dev.lock, every file checked
against its hash; the environment is rebuilt whenever pyproject.toml or the lock changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("BACKCOACH_VENV", ROOT / ".venv"))
STAMP = VENV / ".backcoach-installed"
# The image installs requirements.lock (no dev tools); tests and CI install this one, the
# same versions plus the dev extras. Both list the build tools too (requirements-build.in).
LOCK = ROOT / "requirements-dev.lock"
SYSTEM_PACKAGES = ROOT / "deploy" / "system-packages.txt"


def _bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return VENV / folder / name


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes())
    return f"{digest.hexdigest()} {sys.version_info[:2]}"


def quietly(command: list[str]) -> None:
    """Run a setup step with its output held back; on failure print all of it and stop."""
    # pip and the build backend print pages of notices on a healthy install; a person
    # starting the bot needs one line, and everything only when something went wrong.
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", check=False)
    if done.returncode != 0:
        print(done.stdout, end="", file=sys.stderr)
        print(f"Setting up failed (exit code {done.returncode}): {' '.join(command)}",
              file=sys.stderr)
        sys.exit(done.returncode)


def ensure_environment() -> None:
    """Create the venv and install the project with its dev extras when out of date."""
    if sys.version_info < (3, 11):
        sys.exit("backcoach needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp() and _bin("python").exists():
        return
    print(f"Setting up {VENV} (Backcoach and its dependencies, once) ...", file=sys.stderr,
          flush=True)
    if not _bin("python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(_bin("python")), "-m", "pip", "--disable-pip-version-check", "-q"]
    # Exactly the locked files (a changed or substituted one fails the install), then the
    # project itself with the locked build tools: nothing is fetched unchecked.
    quietly([*pip, "install", "--require-hashes", "-r", str(LOCK)])
    quietly([*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT)])
    STAMP.write_text(_wanted_stamp())


def missing_system_packages() -> list[str]:
    """The Debian packages of deploy/system-packages.txt whose program is not on PATH."""
    missing = []
    for line in SYSTEM_PACKAGES.read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) == 2 and shutil.which(words[1]) is None:
            missing.append(words[0])
    return missing


def ensure_system_packages() -> None:
    """Install the tests' missing system packages with apt-get, when running as root; one
    line either way. Without them the tests that need them skip, saying why."""
    missing = missing_system_packages()
    if not missing:
        return
    names = ", ".join(missing)
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"Not installing {names} (needs root and apt-get); the tests that use them "
              "will skip.", file=sys.stderr, flush=True)
        return
    print(f"Installing system packages for the tests: {names} ...", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "install", "-y", "-q", "--no-install-recommends", *missing]
    for command in ([apt, "update", "-q"], install):
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace", env=env, check=False)
        if done.returncode != 0:
            print(done.stdout[-3000:], end="", file=sys.stderr)
            print(f"Installing {names} failed (exit code {done.returncode}); the tests that "
                  "use them will skip.", file=sys.stderr, flush=True)
            return


def lock(extra: list[str]) -> int:
    """Compile both lock files from pyproject.toml with hashes (uv; `--upgrade` to move)."""
    uv = shutil.which("uv") or str(_bin("uv"))
    if not Path(uv).exists():
        # A maintainer's tool, not a dependency of the bot or its tests.
        subprocess.run([str(_bin("python")), "-m", "pip", "install", "-q", "uv"], check=True)
    compile_ = [uv, "pip", "compile", "--quiet", "--generate-hashes", "--universal",
                "--python-version", "3.11", "--custom-compile-command",
                "python3 deploy/dev.py lock", "pyproject.toml", "requirements-build.in",
                *extra]
    return (subprocess.call([*compile_, "-o", "requirements.lock"])
            or subprocess.call([*compile_, "--extra", "dev", "-c", "requirements.lock",
                                "-o", "requirements-dev.lock"]))


def main(argv: list[str]) -> int:
    """Dispatch to pytest, the linters, or the backcoach command inside the venv."""
    ensure_environment()
    command = argv[0] if argv else "run"
    rest = argv[1:]
    os.chdir(ROOT)
    if command == "test":
        ensure_system_packages()
        return subprocess.call([str(_bin("python")), "-m", "pytest", *rest])
    if command == "lock":
        return lock(rest)
    if command == "lint":
        ruff = subprocess.call([str(_bin("ruff")), "check", "bot", "storage", "content", "tests"])
        mypy = subprocess.call([str(_bin("mypy")), "--strict", "bot", "storage", "tests"])
        # The layer contracts in pyproject.toml (tests/unit/test_layers.py runs them too).
        layers = subprocess.call([str(_bin("lint-imports")), "--no-cache", "--no-logo"])
        return ruff or mypy or layers
    return subprocess.call([str(_bin("backcoach")), *argv])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
