"""`backcoach triage`: what the triage engine makes of a message, for clinical review.

    backcoach triage "TEXT"          level, rule, what matched, in words
    backcoach triage --json "TEXT"   one JSON object
    backcoach triage < messages.txt  one JSON object per input line, in order
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.content_loader import ContentError
from bot.domain.triage import Catalogue, Decision, Level, triage
from bot.triage_loader import load_catalogue
from content import CONTENT_DIR

_MEANING = {
    Level.EMERGENCY: "seek care immediately",
    Level.URGENT: "get medical help today",
    Level.CALL_DOCTOR: "call your doctor",
    Level.NONE: "no escalation",
}
_ABOUT = {
    "self": "the person themselves",
    "someone_else": "someone else's symptom: give safety information, do not escalate",
    "hypothetical": "a hypothetical: give safety information, do not escalate",
    "negated": "said they do not have it",
    "nothing": "no warning sign found",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcoach triage",
        description="Show how the warning-symptom triage reads a message. Without TEXT, "
                    "reads one message per line from standard input and prints one JSON "
                    "object per line.")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the message to triage")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--catalogue", type=Path, default=CONTENT_DIR / "triage.toml",
                        help="the rules file (default: content/triage.toml)")
    return parser


def describe(decision: Decision, catalogue: Catalogue) -> str:
    """The decision in words, one fact per line."""
    lines = [f"level:    {decision.level.label} ({_MEANING[decision.level]})"]
    if decision.rule is not None:
        rule = catalogue.rule(decision.rule)
        lines += [f"rule:     {rule.id} ({rule.level.label})",
                  f"matched:  {decision.matched}",
                  f"source:   {rule.source}"]
    lines.append(f"about:    {_ABOUT[decision.about]}")
    if decision.needs_confirmation:
        lines.append("confirm:  they sounded unsure; ask a yes/no question first")
    lines.append(f"catalogue version: {catalogue.version}")
    return "\n".join(lines)


def run(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Run `backcoach triage` with these arguments (after the word 'triage')."""
    args = _parser().parse_args(argv)
    try:
        catalogue = load_catalogue(args.catalogue)
    except ContentError as error:
        print(f"backcoach triage: {error}", file=stderr or sys.stderr)
        return 2
    if args.text:
        decision = triage(" ".join(args.text), catalogue)
        if args.json:
            print(json.dumps(decision.as_dict(), ensure_ascii=False), file=stdout)
        else:
            print(describe(decision, catalogue), file=stdout)
        return 0
    for line in stdin:
        decision = triage(line.rstrip("\r\n"), catalogue)
        print(json.dumps(decision.as_dict(), ensure_ascii=False), file=stdout, flush=True)
    return 0


def main() -> int:
    """Run as `python -m bot.triage_cli`."""
    return run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
