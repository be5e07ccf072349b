"""bench/cluster_scale.py: the batched synthetic claims and BERTopic's topics as clusters."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from cluster_scale import BATCH, synthetic_claims, topics_to_clusters


def test_synthetic_claims_cover_count_with_unit_vectors_across_batches() -> None:
    count = BATCH + 1234  # two generation batches
    vectors, gold = synthetic_claims(count)
    assert vectors.shape == (count, 384) and vectors.dtype == np.float32
    assert len(gold) == count
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sizes = np.unique(np.array(gold), return_counts=True)[1]
    assert sizes.max() <= 50 and (sizes == 1).mean() > 0.4  # Zipf: most statements reported once


def test_synthetic_claims_of_one_statement_are_paraphrases_of_it() -> None:
    vectors, gold = synthetic_claims(3000)
    labels = np.array(gold)
    similarity = vectors @ vectors.T
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)
    assert 0.84 < similarity[same].mean() < 0.95
    assert similarity[~same].mean() < 0.5


def test_synthetic_claims_are_the_same_for_the_same_seed() -> None:
    first, gold = synthetic_claims(500, seed=3)
    second, again = synthetic_claims(500, seed=3)
    assert gold == again and np.array_equal(first, second)


def test_bertopic_outliers_are_clusters_of_one() -> None:
    assert sorted(map(sorted, topics_to_clusters([0, -1, 0, 1, -1]))) == [[0, 2], [1], [3], [4]]
