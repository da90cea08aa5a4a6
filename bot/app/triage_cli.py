"""`backcoach triage`: what the triage engine makes of a message, for clinical review.

    backcoach triage "TEXT"            level, rule, what matched, in words
    backcoach triage --json "TEXT"     one JSON object
    backcoach triage < messages.txt    one JSON object per input line, in order
    backcoach triage --explain "TEXT"  every word, concept and cue found, and every rule
    backcoach triage --catalogue       every rule as a table a clinician can review
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from bot.domain.triage import About, Decision, Explanation, Level, Triage
from bot.domain.triage.rules import Rule
from bot.loaders.files import ContentError
from bot.loaders.triage import load_triage
from content import CONTENT_DIR

_MEANING = {
    Level.EMERGENCY: "seek care immediately",
    Level.URGENT: "get medical help today",
    Level.CALL_DOCTOR: "call your doctor",
    Level.NONE: "no escalation",
}
_ABOUT = {
    About.SELF: "the person themselves, now",
    About.SOMEONE_ELSE: "someone else's sign: an emergency is answered with the number to "
                        "call for them; anything less with information",
    About.HYPOTHETICAL: "a hypothetical: give safety information, do not escalate",
    About.NEGATED: "said they do not have it",
    About.PAST: "in the past, and over",
    About.RESOLVED: "said it has gone: the rule's level once resolved applies",
    About.MENTION: "only talked about (a film, an article, what a word means)",
    About.IDIOM: "a turn of phrase",
    About.EXPLAINED: "said with a harmless cause",
    About.NOTHING: "no warning sign found",
    About.UNREADABLE: "written in a language the bot cannot read",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backcoach triage",
        description="Show how the warning-sign triage reads a message. Without TEXT, "
                    "reads one message per line from standard input and prints one JSON "
                    "object per line.")
    parser.add_argument("text", nargs="*", metavar="TEXT", help="the message to triage")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--explain", action="store_true",
                        help="show every word, concept, cue and rule match behind the decision")
    parser.add_argument("--catalogue", action="store_true",
                        help="print every rule as a table for clinical review")
    parser.add_argument("--concepts", action="store_true",
                        help="with --catalogue: also list the words of every concept, per language")
    parser.add_argument("--rules", type=Path, default=None,
                        help="the rules file (default: content/triage.toml)")
    parser.add_argument("--content", type=Path, default=CONTENT_DIR,
                        help="the content folder with locales/ (default: the shipped one)")
    return parser


def describe(decision: Decision, triage: Triage) -> str:
    """The decision in words, one fact per line."""
    lines = [f"level:    {decision.level.label} ({_MEANING[decision.level]})"]
    if decision.rule is not None:
        rule = triage.catalogue.rule(decision.rule)
        lines += [f"rule:     {rule.id} ({rule.level.label}, family {rule.family})",
                  f"matched:  {decision.matched}",
                  f"source:   {rule.source}"]
    lines.append(f"about:    {_ABOUT[decision.about]}")
    if decision.response == "crisis":
        lines.append("answer:   the crisis answer (crisis line and emergency number)")
    if decision.needs_confirmation:
        lines.append("confirm:  they sounded unsure; ask a yes/no question first")
    if decision.unreadable:
        lines.append(f"language: written in {decision.unreadable!r}, which the bot cannot read: "
                     "it says so, with the emergency number")
    lines.append(f"catalogue version: {triage.version}")
    return "\n".join(lines)


def explain(found: Explanation, triage: Triage) -> str:
    """Everything the engine saw, for a clinician checking one decision."""
    lines = [f"read in:  {found.language}", "words:    " + " ".join(found.words), "concepts:"]
    lines += [f"  {name}: {words}" for name, words in found.concepts] or ["  (none)"]
    lines.append("scope cues:")
    lines += [f"  {kind}: {words}" for kind, words in found.cues] or ["  (none)"]
    lines.append("rules matched:")
    for rule_id, level, about, words, notes in found.matches:
        because = f" ({'; '.join(notes)})" if notes else ""
        lines.append(f"  {rule_id}: {about} -> {level}: {words!r}{because}")
    if not found.matches:
        lines.append("  (none)")
    return "\n".join([*lines, "decision:", describe(found.decision, triage)])


def _needs(rule: Rule) -> str:
    parts = [" or ".join(rule.when)] if rule.when else []
    if rule.all_of:
        parts.append(" and ".join("(" + " or ".join(group) + ")" for group in rule.all_of))
    if rule.at_least:
        parts.append(f"at least {rule.at_least} of: " + ", ".join(rule.of))
    text = "; or ".join(parts)
    if rule.unless or rule.unless_said:
        text += "; not " + ", ".join((*rule.unless, *rule.unless_said))
    return text


def catalogue_table(triage: Triage) -> str:
    """Every rule as a Markdown table: id, level, family, what it needs, source."""
    rows = ["| id | level | family | needs (concepts) | when resolved | source |",
            "|---|---|---|---|---|---|"]
    for rule in triage.catalogue.rules:
        answer = " (crisis answer)" if rule.response == "crisis" else ""
        rows.append(f"| {rule.id} | {rule.level.label}{answer} | {rule.family} | "
                    f"{_needs(rule)} | {rule.resolved.label} | {rule.source} |")
    languages = ", ".join(triage.readers)
    return "\n".join([f"Triage catalogue {triage.version} ({len(triage.catalogue.rules)} rules; "
                      f"languages: {languages})", "", *rows])


def concept_words(triage: Triage) -> str:
    """Every concept the rules name, with its words in every language."""
    lines = []
    for language, reader in triage.readers.items():
        lines.append(f"Concepts in {reader.lexicon.language_name} ({language}):")
        for name in sorted(triage.catalogue.concepts):
            lines.append(f"- {name}: " + "; ".join(reader.lexicon.concepts[name]))
    return "\n".join(lines)


def run(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Run `backcoach triage` with these arguments (after the word 'triage')."""
    args = _parser().parse_args(argv)
    try:
        triage = load_triage(args.content, args.rules)
    except ContentError as error:
        print(f"backcoach triage: {error}", file=stderr or sys.stderr)
        return 2
    if args.catalogue:
        print(catalogue_table(triage), file=stdout)
        if args.concepts:
            print("\n" + concept_words(triage), file=stdout)
        return 0
    if args.text:
        text = " ".join(args.text)
        if args.explain:
            print(explain(triage.explain(text), triage), file=stdout)
        elif args.json:
            print(json.dumps(triage.decide(text).as_dict(), ensure_ascii=False), file=stdout)
        else:
            print(describe(triage.decide(text), triage), file=stdout)
        return 0
    for line in stdin:
        decision = triage.decide(line.rstrip("\r\n"))
        print(json.dumps(decision.as_dict(), ensure_ascii=False), file=stdout, flush=True)
    return 0


def main() -> int:
    """Run as `python -m bot.app.triage_cli`."""
    return run(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
