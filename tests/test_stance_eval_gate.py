"""Quality gate: stance on the labelled EUvsDisinfo items and text reuse on rendered page pairs.

Floors are the figures measured when the gate was set, minus about 0.03 (see bench/eval_stance.py and
bench/README.md); the seeds' stances are checked one by one in test_stance_seeds.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.claims import load_nlp
from narrascope.evaluation.reuse import reuse_pairs, score_reuse
from narrascope.evaluation.stance import judge_items, load_stance_set, stance_scores
from narrascope.narratives import load_embedder
from tests.seeds import DATA

EUVSDISINFO = DATA / "disinfo" / "euvsdisinfo-cases" / "kalkun" / "full_dataset_formatted.csv"
LABELS = Path(__file__).resolve().parents[1] / "bench" / "data" / "stance_labels.tsv"
REUSE = DATA / "extraction" / "scrapinghub"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not EUVSDISINFO.is_file(), reason=f"EUvsDisinfo data not found at {EUVSDISINFO}"),
]

# On the held-out (test) split, 32 items; the whole set runs in `narrascope eval stance`.
STANCE_ACCURACY_FLOOR = 0.53  # measured 0.562 (dev 0.690 without the seeds)
AMPLIFIES_F1_FLOOR = 0.73  # measured 0.769
DISPUTES_F1_FLOOR = 0.55  # measured 0.583
REUSE_F1_FLOOR = 0.95  # measured 1.000 on 30 pairs (0.994 on 120)


def test_stance_eval_gate_held_out_euvsdisinfo_items() -> None:
    items = [item for item in load_stance_set(LABELS) if item.split == "test"]
    judged = judge_items(items, EUVSDISINFO, load_embedder().embed, load_nlp())
    scores = stance_scores([item.label for item, _ in judged], [result.stance for _, result in judged])
    assert scores["accuracy"] >= STANCE_ACCURACY_FLOOR, scores
    assert scores["per_class"]["amplifies"]["f1"] >= AMPLIFIES_F1_FLOOR, scores
    assert scores["per_class"]["disputes"]["f1"] >= DISPUTES_F1_FLOOR, scores


def test_stance_eval_gate_reuse_pairs() -> None:
    scores = score_reuse(reuse_pairs(REUSE, 10))
    assert scores["f1"] >= REUSE_F1_FLOOR, scores
    assert scores["lifted_spans_covered"] == "10/10", scores
