"""Regenerates bot_api.json from a full api.json of PaulSonOfLars/telegram-bot-api-spec.

    python -m bot.emulator.spec.extract /path/to/api.json --commit SHA

Keeps the methods the emulator serves, every type their parameters can take (followed field
by field, with an abstract type's subtypes), and Update, whose field names are the update
types allowed_updates may list. Entries are copied unchanged, descriptions included: the
emulator reads its limits (lengths, ranges, choices) from them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

REPOSITORY = "https://github.com/PaulSonOfLars/telegram-bot-api-spec"
OUTPUT = Path(__file__).with_name("bot_api.json")


def _bare(type_name: str) -> str:
    while type_name.startswith("Array of "):
        type_name = type_name.removeprefix("Array of ")
    return type_name


def subset(full: dict[str, Any], served: set[str], commit: str) -> dict[str, Any]:
    """The part of a full api.json that the emulator's served methods need."""
    methods = {name: m for name, m in full["methods"].items() if name.lower() in served}
    missing = served - {name.lower() for name in methods}
    if missing:
        raise SystemExit(f"the spec has no methods {sorted(missing)}")
    wanted: set[str] = {"Update"}
    queue = [_bare(t) for m in methods.values() for f in m.get("fields", []) for t in f["types"]]
    while queue:
        name = queue.pop()
        if name in wanted or name not in full["types"]:
            continue  # a primitive (Integer, String, ...) or already kept
        wanted.add(name)
        kind = full["types"][name]
        queue += kind.get("subtypes", [])
        queue += [_bare(t) for f in kind.get("fields", []) for t in f["types"]]
    return {
        "source": f"{REPOSITORY}/blob/{commit}/api.json",
        "commit": commit,
        "version": full["version"],
        "release_date": full["release_date"],
        "changelog": full["changelog"],
        "subset": (
            "The methods bot/emulator serves, every type their parameters take (and its "
            "subtypes), and Update; entries copied unchanged. Regenerate with "
            "python -m bot.emulator.spec.extract API_JSON --commit SHA."
        ),
        "methods": methods,
        # Update's fields are kept but not followed: only their names matter here.
        "types": {name: t for name, t in full["types"].items() if name in wanted},
    }


def main(argv: list[str] | None = None) -> None:
    """Write bot_api.json next to this file from the api.json given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("api_json", type=Path)
    parser.add_argument("--commit", required=True, help="the spec repository's commit")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    from ..server import METHODS  # the emulator's own table decides what is kept

    full = json.loads(args.api_json.read_text(encoding="utf-8"))
    data = subset(full, set(METHODS), args.commit)
    args.output.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(data['methods'])} methods, {len(data['types'])} types")


if __name__ == "__main__":
    main()
