"""The layer rules and "no import cycles", enforced (ARCHITECTURE.md, "Layers, enforced").

The contracts live in pyproject.toml ([tool.importlinter]) and `lint-imports` checks them;
what they cannot say (an allow-list: the domain imports only the standard library and
itself; no cycle between any two modules, inside the domain too) is checked here.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "bot" / "domain"
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _module_of(path: Path) -> str:
    # A package's __init__ is kept in the name, so that `from . import x` resolves in it.
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def foreign_imports(source: str, module: str, own: str) -> list[str]:
    """What `module` (of `source`) imports that is neither the standard library nor `own`."""
    # `module` of a package's own __init__.py ends in ".__init__", so that its
    # `from . import x` means the package itself, as it does for Python.
    package = module.split(".")
    found = []
    # ast.walk: imports inside functions and under TYPE_CHECKING count as much as any.
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level] if node.level else []
            names = [".".join([*base, *([node.module] if node.module else [])])]
        else:
            continue
        found += [name for name in names
                  if name.split(".")[0] not in sys.stdlib_module_names
                  and name != own and not name.startswith(own + ".")]
    return found


def test_the_import_contracts_are_kept() -> None:
    """`lint-imports` checks every contract in pyproject.toml over bot/, storage/, content/."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    wanted = len(CONTRACTS["contracts"])
    assert f"Contracts: {wanted} kept, 0 broken." in done.stdout, done.stdout
    analysed = int(done.stdout.split("Analyzed ")[1].split(" files")[0])
    assert analysed > 150, "the contracts must have read the whole code, not an empty package"


def test_the_domain_imports_only_the_standard_library_and_itself() -> None:
    """bot/domain is pure: no framework, no library, nothing else of ours."""
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 50
    found = {str(path.relative_to(ROOT)): foreign
             for path in modules
             if (foreign := foreign_imports(path.read_text(encoding="utf-8"),
                                            _module_of(path), "bot.domain"))}
    assert found == {}


def test_the_allow_list_check_catches_what_it_must() -> None:
    """The check above, on imports it must refuse and imports it must let through."""
    assert foreign_imports("from . import x\nfrom .. import y\n",
                           "bot.domain.triage.__init__", "bot.domain.triage") == ["bot.domain"]
    source = ("import re, telegram.ext\nfrom sqlalchemy import select\n"
              "from bot.telegram import rendering\nfrom ..engine import fsm\n"
              "from . import prompts\nfrom ... import loaders\n"
              "def late() -> None:\n    import pydantic\n"
              "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import storage.models\n")
    assert foreign_imports(source, "bot.domain.session.flow", "bot.domain") == [
        "telegram.ext", "sqlalchemy", "bot.telegram", "bot", "pydantic", "storage.models"]


def test_no_module_imports_one_that_imports_it_back() -> None:
    """No import cycle between any two modules of bot/, storage/ or content/, however long."""
    graph = grimp.build_graph("bot", "storage", "content")
    assert len(graph.modules) > 150
    imports = {module: graph.find_modules_directly_imported_by(module)
               for module in graph.modules}
    try:
        graphlib.TopologicalSorter(imports).prepare()
    except graphlib.CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_every_package_of_bot_is_named_by_the_contracts_that_list_them() -> None:
    """A new package under bot/ is forbidden to the domain and the emulator too."""
    packages = {f"bot.{path.parent.name}" for path in (ROOT / "bot").glob("*/__init__.py")}
    assert len(packages) > 5
    by_id = {contract["id"]: contract for contract in CONTRACTS["contracts"]}
    for contract_id, source in (("domain", "bot.domain"), ("emulator", "bot.emulator")):
        forbidden = set(by_id[contract_id]["forbidden_modules"])
        assert by_id[contract_id]["source_modules"] == [source]
        assert packages - {source} <= forbidden, contract_id
        assert {"storage", "content"} <= forbidden, contract_id
