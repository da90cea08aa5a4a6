"""Unseen corpora: blind corpora scored but never tuned on (tests/corpora/<lang>/unseen_N.toml).

They are the honest measure of wording nobody tuned the words to, and they are below the
bars: each is held here to the figures of its first look at the engine it was scored on,
so a change that makes fresh wording worse fails. The bars themselves (issue #13, #17) are
met only once a corpus written later, and never tuned on, meets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.triage import Triage
from bot.loaders.triage import load_triage
from tests.corpora import scoring

# name: (emergencies caught, urgent+ under-triaged at most, in range, benign kept), as
# first scored (README, "How well the warning-sign triage holds").
FLOORS = {"es/unseen_3": (100, 36, 0.846, 0.896)}  # 84.7% (354/418), 89.6% (138/154)
UNSEEN = scoring.unseen_corpora()


@pytest.fixture(scope="module")
def triage() -> Triage:
    return load_triage()


def test_every_unseen_corpus_has_a_floor() -> None:
    assert sorted(scoring.name(p) for p in UNSEEN) == sorted(FLOORS)


@pytest.mark.parametrize("path", UNSEEN, ids=[scoring.name(p) for p in UNSEEN])
def test_unseen_corpus_does_not_fall_below_its_first_score(path: Path, triage: Triage) -> None:
    score = scoring.score(scoring.name(path), scoring.load(path), scoring.decider(triage),
                          triage.readers)
    print("\n" + score.line())
    caught, under, in_range, benign = FLOORS[scoring.name(path)]
    assert score.emergencies_caught >= caught, score.line()
    assert len(score.under) <= under, score.line()
    assert score.in_range_share >= in_range, score.line()
    assert score.benign_share >= benign, score.line()
