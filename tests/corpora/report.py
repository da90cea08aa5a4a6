"""Print the triage figures for every corpus, as the README reports them.

    python -m tests.corpora.report                  figures for every corpus
    python -m tests.corpora.report --misses         and every message out of range
    python -m tests.corpora.report original blind_1 only these corpora
    python -m tests.corpora.report es/blind_1       a corpus of another language

English corpora are named by their file (blind_1), others by folder and file (es/blind_1).
"""

from __future__ import annotations

import sys
import tomllib

from bot.loaders.triage import load_triage
from tests.corpora import scoring


def _original_as_ranges() -> list[scoring.Case]:
    """The original corpus gives one level per message: its range is that level."""
    with (scoring.CORPORA / "en" / "original.toml").open("rb") as handle:
        raw = tomllib.load(handle)["cases"]
    return [scoring.Case(c["text"], c["level"], c["level"], c.get("rule", ""),
                         c.get("about", "self")) for c in raw]


def main(argv: list[str]) -> int:
    """Score every corpus with the shipped engine and print the figures."""
    triage = load_triage()

    corpora = [("original", _original_as_ranges())] + [
        (scoring.name(path), scoring.load(path))
        for path in scoring.blind_corpora() + scoring.unseen_corpora()]
    wanted = [a for a in argv if not a.startswith("--")]
    for name, cases in corpora:
        if wanted and name not in wanted:
            continue
        score = scoring.score(name, cases, scoring.decider(triage), triage.readers)
        print(score.line())
        if "--misses" in argv:
            for case, outcome in score.out_of_range + score.other_missed:
                print(scoring.show(case, outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
