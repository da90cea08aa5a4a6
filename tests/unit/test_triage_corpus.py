"""The triage engine against a corpus of realistic messages with clinician-set expectations.

Run with `pytest -s tests/unit/test_triage_corpus.py` to see recall per level.
"""

from __future__ import annotations

import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.domain.triage import Catalogue, Decision, Level, triage
from bot.triage_loader import load_catalogue

CORPUS = Path(__file__).with_name("triage_corpus.toml")
Case = dict[str, Any]


def _cases() -> list[Case]:
    with CORPUS.open("rb") as handle:
        cases: list[Case] = tomllib.load(handle)["cases"]
    return cases


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def results(catalogue: Catalogue) -> list[tuple[Case, Decision]]:
    return [(case, triage(case["text"], catalogue)) for case in _cases()]


def exactly_right(case: Case, decision: Decision) -> bool:
    return bool(decision.level.label == case["level"]
                and case.get("about", decision.about) == decision.about
                and case.get("confirm", decision.needs_confirmation)
                == decision.needs_confirmation)


def show(case: Case, decision: Decision) -> str:
    return (f"  {case['text'][:70]!r}: expected {case['level']}"
            f"{' ' + case['about'] if 'about' in case else ''}, got {decision.level.label} "
            f"{decision.about} rule={decision.rule} matched={decision.matched!r}"
            f"{' (confirm)' if decision.needs_confirmation else ''}")


def test_the_corpus_is_big_varied_and_covers_every_rule(catalogue: Catalogue) -> None:
    cases = _cases()
    assert len(cases) >= 170
    ids = {rule.id for rule in catalogue.rules}
    unknown = sorted({c["rule"] for c in cases if "rule" in c} - ids)
    assert not unknown, f"the corpus names rules the catalogue lacks: {unknown}"
    own = Counter(c["rule"] for c in cases
                  if "rule" in c and c["level"] != "none" and c.get("about", "self") == "self")
    thin = {rule_id: own[rule_id] for rule_id in sorted(ids) if own[rule_id] < 3}
    assert not thin, f"rules with fewer than 3 phrasings in the corpus: {thin}"
    benign = [c for c in cases if c["level"] == "none" and "rule" not in c]
    assert len(benign) >= 40
    kinds = Counter(c.get("about") for c in cases)
    for kind in ("negated", "someone_else", "hypothetical"):
        assert kinds[kind] >= 5, f"only {kinds[kind]} {kind} messages"
    assert sum(1 for c in cases if c.get("confirm")) >= 8


def test_recall_per_level_is_printed_and_the_thresholds_hold(
        results: list[tuple[Case, Decision]]) -> None:
    lines = ["", f"triage corpus: {len(results)} messages"]
    for level in reversed(Level):
        mine = [(c, d) for c, d in results if c["level"] == level.label]
        same_level = sum(d.level == level for _, d in mine)
        exact = sum(exactly_right(c, d) for c, d in mine)
        lines.append(f"  {level.label:>11}: {len(mine):3} messages, recall "
                     f"{same_level / len(mine):6.1%}, exactly right {exact / len(mine):6.1%}")
    exact_all = sum(exactly_right(c, d) for c, d in results) / len(results)
    lines.append(f"  exactly right overall: {exact_all:.1%}")
    print("\n".join(lines))
    assert exact_all >= 0.85, "\n".join(
        [f"only {exact_all:.1%} exactly right (needs 85%):"]
        + [show(c, d) for c, d in results if not exactly_right(c, d)])


def test_every_emergency_is_triaged_emergency(results: list[tuple[Case, Decision]]) -> None:
    emergencies = [(c, d) for c, d in results if c["level"] == "emergency"]
    missed = [(c, d) for c, d in emergencies
              if d.level != Level.EMERGENCY or d.about != "self"]
    recall = 1 - len(missed) / len(emergencies)
    assert not missed, "\n".join([f"emergency recall {recall:.1%} (needs 100%); missed:"]
                                 + [show(c, d) for c, d in missed])


def test_no_urgent_message_is_triaged_below_urgent(
        results: list[tuple[Case, Decision]]) -> None:
    urgent = [(c, d) for c, d in results if c["level"] == "urgent"]
    below = [(c, d) for c, d in urgent if d.level < Level.URGENT]
    recall = 1 - len(below) / len(urgent)
    assert not below, "\n".join([f"urgent recall {recall:.1%} (needs 100%); below urgent:"]
                                + [show(c, d) for c, d in below])


def test_benign_messages_are_mostly_not_escalated(
        results: list[tuple[Case, Decision]]) -> None:
    benign = [(c, d) for c, d in results if c["level"] == "none"]
    escalated = [(c, d) for c, d in benign if d.level != Level.NONE]
    share = 1 - len(escalated) / len(benign)
    print(f"\n  benign messages not escalated: {share:.1%} of {len(benign)}")
    assert share >= 0.80, "\n".join([f"only {share:.1%} of benign messages not escalated:"]
                                    + [show(c, d) for c, d in escalated])


def test_a_typical_message_takes_well_under_5_ms(catalogue: Catalogue) -> None:
    texts = [c["text"] for c in _cases()]
    triage(texts[0], catalogue)  # the catalogue is prepared once
    start = time.perf_counter()
    for text in texts:
        triage(text, catalogue)
    per_message = (time.perf_counter() - start) / len(texts) * 1000
    print(f"\n  {per_message:.2f} ms per message")
    assert per_message < 5, f"{per_message:.2f} ms per message"
