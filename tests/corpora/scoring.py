"""Scoring the warning-sign triage against a corpus of messages with acceptable ranges.

A corpus (tests/corpora/<lang>/*.toml, the folder naming the language it is mostly
written in) lists messages as people type them, each with the
lowest and highest level a careful triage nurse would accept (`min` .. `max`). The figures
are the ones the README reports for every corpus:

- emergency recall: of the readable messages whose minimum is emergency, the share
  triaged emergency (someone else's emergency included: the bot must say whom to call);
- urgent+ under-triaged: readable messages whose minimum is urgent or emergency that were
  triaged below their minimum (the bar is none);
- in range: readable messages triaged within min..max;
- benign kept: readable messages whose maximum is none that got no escalation and no
  language notice;
- other languages: messages in a language the bot cannot read that got the notice naming
  the emergency number (or, if read anyway, a level within range).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.triage import Triage

LEVELS = ("none", "call_doctor", "urgent", "emergency")
RANK = {level: rank for rank, level in enumerate(LEVELS)}
CORPORA = Path(__file__).parent


@dataclass(frozen=True)
class Case:
    """One message and the range of levels that is right for it."""

    text: str
    min: str
    max: str
    family: str = ""
    about: str = "self"
    lang: str = "en"
    note: str = ""

    def __post_init__(self) -> None:
        if self.min not in RANK or self.max not in RANK or RANK[self.min] > RANK[self.max]:
            raise ValueError(f"bad range {self.min}..{self.max} for {self.text[:40]!r}")


@dataclass(frozen=True)
class Outcome:
    """What the engine made of one message."""

    level: str
    about: str = "self"
    notice: bool = False  # the "I can only read ..." line for an unreadable language
    rule: str | None = None


Decide = Callable[[str], Outcome]


def decider(triage: Triage) -> Decide:
    """The shipped engine's decisions as the scoring reads them."""

    def decide(text: str) -> Outcome:
        decision = triage.decide(text)
        return Outcome(decision.level.label, decision.about.value,
                       decision.unreadable is not None, decision.rule)

    return decide


@dataclass
class Score:
    """The figures for one corpus, and the messages behind each miss."""

    name: str
    total: int = 0
    readable: int = 0
    emergencies: int = 0
    emergencies_caught: int = 0
    urgent_plus: int = 0
    under: list[tuple[Case, Outcome]] = field(default_factory=list)
    in_range: int = 0
    out_of_range: list[tuple[Case, Outcome]] = field(default_factory=list)
    benign: int = 0
    benign_kept: int = 0
    other: int = 0
    other_handled: int = 0
    other_missed: list[tuple[Case, Outcome]] = field(default_factory=list)

    @property
    def emergency_recall(self) -> float:
        """Share of readable emergencies triaged emergency."""
        return self.emergencies_caught / self.emergencies if self.emergencies else 1.0

    @property
    def in_range_share(self) -> float:
        """Share of readable messages triaged within their range."""
        return self.in_range / self.readable if self.readable else 1.0

    @property
    def benign_share(self) -> float:
        """Share of readable benign messages left alone."""
        return self.benign_kept / self.benign if self.benign else 1.0

    def line(self) -> str:
        """One line of figures, as the README reports them."""
        return (f"{self.name}: {self.total} messages ({self.readable} readable); emergency "
                f"recall {self.emergency_recall:.1%} ({self.emergencies_caught}/"
                f"{self.emergencies}); urgent+ under-triaged {len(self.under)} of "
                f"{self.urgent_plus}; in range {self.in_range_share:.1%}; benign kept at none "
                f"{self.benign_share:.1%} ({self.benign_kept}/{self.benign}); other languages "
                f"handled {self.other_handled}/{self.other}")


def blind_corpora() -> list[Path]:
    """Every blind corpus of every language: English first, then the others by folder."""
    return sorted(CORPORA.glob("*/blind_*.toml"),
                  key=lambda path: (path.parent.name != "en", path.parent.name, path.stem))


def unseen_corpora() -> list[Path]:
    """Blind corpora scored but never tuned on (unseen_N.toml): the honest measure of wording
    nobody tuned to. Once tuned on, one is renamed blind_N and held to the bars."""
    return sorted(CORPORA.glob("*/unseen_*.toml"), key=lambda path: (path.parent.name, path.stem))


def name(path: Path) -> str:
    """'blind_1' for an English corpus (as the README has always named them), 'es/blind_1'
    for another language's."""
    return path.stem if path.parent.name == "en" else f"{path.parent.name}/{path.stem}"


def load(path: Path) -> list[Case]:
    """The cases of one corpus file."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)["cases"]
    return [Case(**{k: str(v) for k, v in case.items()}) for case in raw]


def readable(case: Case, languages: Iterable[str]) -> bool:
    """Written in a language the bot reads."""
    return case.lang in set(languages)


def score(name: str, cases: list[Case], decide: Decide,
          languages: Iterable[str] = ("en",)) -> Score:
    """Run every case through `decide` and count the figures."""
    result = Score(name, total=len(cases))
    langs = set(languages)
    for case in cases:
        outcome = decide(case.text)
        got, low, high = RANK[outcome.level], RANK[case.min], RANK[case.max]
        fits = low <= got <= high
        if not readable(case, langs):
            result.other += 1
            if outcome.notice or fits:
                result.other_handled += 1
            else:
                result.other_missed.append((case, outcome))
            continue
        result.readable += 1
        if fits:
            result.in_range += 1
        else:
            result.out_of_range.append((case, outcome))
        if case.min == "emergency":
            result.emergencies += 1
            result.emergencies_caught += outcome.level == "emergency"
        if low >= RANK["urgent"]:
            result.urgent_plus += 1
            if got < low:
                result.under.append((case, outcome))
        if case.max == "none":
            result.benign += 1
            result.benign_kept += outcome.level == "none" and not outcome.notice
    return result


def show(case: Case, outcome: Outcome) -> str:
    """One miss, for a failing assertion or the report."""
    return (f"  [{case.family}/{case.about}] {case.text[:90]!r}: wanted {case.min}..{case.max}, "
            f"got {outcome.level} ({outcome.about}, rule {outcome.rule})"
            f"{' + language notice' if outcome.notice else ''}")
