"""SemEval metric, label decoding with the hierarchy, and threshold tuning, on small inputs written here."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.evaluation.narratives import coarse_of, samples_f1, set_f1
from narrascope.narratives.catalogue_learning import LabelScores, LabelSpace, Thresholds, decode, tune_thresholds

SPACE = LabelSpace(("URW: A", "URW: B"), ("URW: A: a1", "URW: A: a2", "URW: B: b1"))


def _s(*labels: str) -> frozenset[str]:
    return frozenset(labels)


def test_narratives_eval_samples_f1_matches_hand_computation() -> None:
    gold = [_s("Other"), _s("URW: A", "URW: B"), _s("URW: A")]
    predicted = [_s("Other"), _s("URW: A"), _s("URW: B")]
    # per article: 1, 2*1/(2+1), 0
    assert samples_f1(gold, predicted) == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert set_f1(_s(), _s()) == 1.0 and set_f1(_s("x"), _s()) == 0.0
    with pytest.raises(ValueError):
        samples_f1(gold, predicted[:2])


def test_narratives_eval_other_everywhere_scores_share_of_other_articles() -> None:
    gold = [_s("Other")] * 97 + [_s("URW: A")] * 103
    assert samples_f1(gold, [_s("Other")] * 200) == pytest.approx(0.485)


def test_narratives_eval_coarse_of_fine_labels() -> None:
    assert coarse_of(["URW: A: a1", "URW: B: Other", "Other"]) == _s("URW: A", "URW: B", "Other")


def test_narratives_decode_gate_hierarchy_and_residual_other() -> None:
    scores = LabelScores(
        narrative=np.array([0.1, 0.9, 0.9]),
        coarse=np.array([[0.9, 0.9], [0.8, 0.1], [0.2, 0.3]]),
        fine=np.array([[0.9, 0.9, 0.9], [0.1, 0.7, 0.9], [0.1, 0.1, 0.1]]),
    )
    result = decode(scores, SPACE, Thresholds(0.5, 0.5, 0.5))
    assert result[0] == (_s("Other"), _s("Other"))
    # b1 fires but its narrative does not: it is not reported
    assert result[1] == (_s("URW: A"), _s("URW: A: a2"))
    # nothing over the cut: the best narrative, with its residual sub-label
    assert result[2] == (_s("URW: B"), _s("URW: B: Other"))


def test_narratives_tune_thresholds_recovers_separating_cuts() -> None:
    rng = np.random.default_rng(0)
    gold = []
    narrative, coarse, fine = [], [], []
    for number in range(60):
        if number % 3 == 0:
            gold.append((_s("Other"), _s("Other")))
            narrative.append(rng.uniform(0.0, 0.4))
            coarse.append([rng.uniform(0, 0.3), rng.uniform(0, 0.3)])
            fine.append([0.1, 0.1, 0.1])
        else:
            gold.append((_s("URW: A"), _s("URW: A: a1")))
            narrative.append(rng.uniform(0.6, 1.0))
            coarse.append([rng.uniform(0.7, 1.0), rng.uniform(0.0, 0.3)])
            fine.append([rng.uniform(0.7, 1.0), rng.uniform(0.0, 0.3), 0.0])
    scores = LabelScores(np.array(narrative), np.array(coarse), np.array(fine))
    thresholds = tune_thresholds(scores, SPACE, gold)
    assert all(p == g for p, g in zip(decode(scores, SPACE, thresholds), gold, strict=True))
    assert tune_thresholds(scores, SPACE, gold, gate=False).narrative == -np.inf
