"""Domain-first, per-label decoding of catalogue scores (narratives/catalogue_decoding.py)."""

from __future__ import annotations

import numpy as np

from narrascope.narratives.catalogue_decoding import LabelCuts, decode_hierarchy, domain_of, tune_cuts
from narrascope.narratives.catalogue_learning import LabelScores, LabelSpace

SPACE = LabelSpace(("URW: war", "URW: peace", "CC: hoax"), ("URW: war: x", "URW: war: y", "CC: hoax: z"))


def test_decoding_domain_first_and_residual_sub_label() -> None:
    scores = LabelScores(np.array([1.0, 1.0, -1.0]),
                         np.array([[0.2, 0.1, 0.9], [0.8, 0.7, 0.1], [0.9, 0.9, 0.9]]),
                         np.array([[0.9, 0.1, 0.1], [0.9, 0.2, 0.0], [0.9, 0.9, 0.9]]))
    cuts = LabelCuts(0.0, np.array([0.5, 0.75, 0.5]), np.array([0.5, 0.5, 0.5]))
    decoded = decode_hierarchy(scores, SPACE, cuts, ["URW", "URW", "URW"])
    assert decoded[0] == (frozenset({"URW: war"}), frozenset({"URW: war: x"}))  # CC's 0.9 is out of domain
    assert decoded[1] == (frozenset({"URW: war"}), frozenset({"URW: war: x"}))  # peace under its own cut
    assert decoded[2] == (frozenset({"Other"}), frozenset({"Other"}))
    assert decode_hierarchy(scores, SPACE, cuts)[0][0] == frozenset({"CC: hoax"})
    assert domain_of("URW: war: x") == "URW"


def test_decoding_per_label_cuts_fit_training_gold() -> None:
    rng = np.random.default_rng(1)
    gold = [(frozenset({"URW: war"}), frozenset({"URW: war: x"}))] * 10 + \
        [(frozenset({"URW: war", "URW: peace"}), frozenset({"URW: war: Other", "URW: peace: Other"}))] * 10
    coarse = np.column_stack([np.full(20, 0.9), np.r_[np.full(10, 0.3), np.full(10, 0.4)], np.full(20, 0.0)])
    fine = np.column_stack([np.r_[np.full(10, 0.8), np.full(10, 0.1)], rng.uniform(0, 0.2, 20), np.zeros(20)])
    scores = LabelScores(np.ones(20), coarse + rng.uniform(0, 0.01, coarse.shape), fine)
    cuts = tune_cuts(scores, SPACE, gold, ["URW"] * 20)
    assert decode_hierarchy(scores, SPACE, cuts, ["URW"] * 20) == gold
