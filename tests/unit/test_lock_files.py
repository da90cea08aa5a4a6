"""The lock files agree with pyproject.toml: every dependency pinned once, with hashes, at a
version its range allows; the dev lock is the image's plus the dev tools; floors stay above
the advisories named in pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
RUNTIME = ROOT / "requirements.lock"
DEV = ROOT / "requirements-dev.lock"
# name==version, an optional marker, then one or more hashes on continuation lines.
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)(?: ;[^\\]*)? \\\n"
                 r"((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def pins(lock: Path) -> dict[str, list[Version]]:
    """Every pinned package with its versions (one per marker, usually one)."""
    found: dict[str, list[Version]] = {}
    for name, version, _ in PIN.findall(lock.read_text()):
        found.setdefault(canonicalize_name(name), []).append(Version(version))
    return found


def requirement_lines(lock: Path) -> list[str]:
    return [line for line in lock.read_text().splitlines()
            if line and not line.startswith((" ", "#"))]


def test_every_pinned_line_has_hashes() -> None:
    for lock in (RUNTIME, DEV):
        lines = requirement_lines(lock)
        assert lines and all("==" in line for line in lines), lock.name
        assert len(PIN.findall(lock.read_text())) == len(lines), f"{lock.name}: a pin lacks hashes"


def test_the_runtime_lock_pins_every_dependency_within_its_range() -> None:
    locked = pins(RUNTIME)
    for text in [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]:
        requirement = Requirement(text)
        versions = locked.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {RUNTIME.name}"
        assert all(requirement.specifier.contains(v) for v in versions), (text, versions)
    assert "pytest" not in locked and "mypy" not in locked  # the image gets no dev tools


def test_the_dev_lock_is_the_runtime_lock_plus_the_dev_extras() -> None:
    runtime, dev = pins(RUNTIME), pins(DEV)
    assert {name: dev.get(name) for name in runtime} == runtime
    for text in PYPROJECT["project"]["optional-dependencies"]["dev"]:
        requirement = Requirement(text)
        versions = dev.get(canonicalize_name(requirement.name))
        assert versions and all(requirement.specifier.contains(v) for v in versions), text


def test_floors_are_past_known_advisories() -> None:
    runtime = pins(RUNTIME)
    assert min(runtime["aiohttp"]) >= Version("3.12.14")  # CVE-2025-53643
    assert min(runtime["setuptools"]) >= Version("78.1.1")  # CVE-2025-47273
    assert min(runtime["h11"]) >= Version("0.16.0")  # CVE-2025-43859, under httpx
    aiohttp = next(Requirement(r) for r in PYPROJECT["project"]["dependencies"]
                   if r.startswith("aiohttp"))
    assert not aiohttp.specifier.contains("3.12.13")


def test_dev_setup_installs_from_the_lock_with_hashes() -> None:
    script = (ROOT / "deploy" / "dev.py").read_text()
    assert '"--require-hashes", "-r", str(LOCK)' in script
    assert 'LOCK = ROOT / "requirements-dev.lock"' in script
    assert '"--no-deps", "--no-build-isolation"' in script
