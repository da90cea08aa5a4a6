"""First-run setup (deploy/dev.py) says one line on a healthy install and everything on a
failed one, and building the project raises no deprecation notices."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def dev_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "deploy" / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_setup_step_that_succeeds_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    noisy = "import sys\nfor i in range(100): print('WARNING: notice', i, file=sys.stderr)"
    dev_script().quietly([sys.executable, "-c", noisy])
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_a_setup_step_that_fails_prints_all_its_output(capfd: pytest.CaptureFixture[str]) -> None:
    failing = ("import sys\nprint('Collecting x')\n"
               "print('ERROR: hash mismatch for x', file=sys.stderr)\nsys.exit(3)")
    with pytest.raises(SystemExit) as stopped:
        dev_script().quietly([sys.executable, "-c", failing])
    assert stopped.value.code == 3
    err = capfd.readouterr().err
    assert "Collecting x\n" in err
    assert "ERROR: hash mismatch for x\n" in err
    assert "Setting up failed (exit code 3)" in err


def test_the_project_configuration_raises_no_deprecation_warning() -> None:
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dist = apply_configuration(Distribution(), ROOT / "pyproject.toml")
    assert dist.metadata.name == "backcoach"
