"""The quality gate: the engine scored against the hand-written gold of the
seeds and the demo corpus (docs/annotation.md). Floors live in
eval_baseline.json; raising them is how progress is locked in, and a change
that drops a figure below its floor fails here instead of passing silently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peacetrack.evaluate import evaluate, print_score

from .conftest import ROOT, SHARED

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text())


@pytest.fixture(scope="module")
def score(analyzer):
    gold = [ROOT / "tests" / "gold" / "seed-reports", ROOT / "tests" / "gold" / "demo"]
    return evaluate(gold, analyzer=analyzer, shared=SHARED, root=ROOT)


@pytest.mark.parametrize("figure", sorted(BASELINE["floors"]))
def test_figure_is_at_or_above_its_floor(score, figure, capsys):
    value = score.figures()[figure]
    with capsys.disabled():
        if figure == "event_f1":
            print()
            print_score(score)
    assert value >= BASELINE["floors"][figure], \
        f"{figure} fell to {value:.3f}, below its floor {BASELINE['floors'][figure]}"


def test_every_gold_anchor_is_found_in_its_report(score):
    """A gold item whose anchor is not in the cleaned text would be a silent miss."""
    lost = [m for m in score.misses if "anchor not found" in m]
    assert not lost, lost


def test_the_gold_covers_every_event_type():
    types = set()
    for path in (ROOT / "tests" / "gold").glob("*/*.json"):
        types |= {e["type"] for e in json.loads(path.read_text())["events"]}
    assert len(types) == 16
