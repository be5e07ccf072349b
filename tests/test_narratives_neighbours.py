"""Close pairs: the HNSW index used on large sets finds the pairs the exact products find."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.narratives import neighbours
from narrascope.narratives.similarity import average_link_groups, close_pairs


def _clustered(count: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(count // 5, 64))
    vectors = np.repeat(centres, 5, axis=0) + rng.normal(0, 0.15, (count // 5 * 5, 64))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def test_neighbours_index_recalls_exact_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = _clustered(3000)
    exact = set(close_pairs(vectors, 0.8))
    monkeypatch.setattr(neighbours, "EXACT_LIMIT", 100)
    approximate = set(close_pairs(vectors, 0.8))
    exact_pairs = {(i, j) for i, j, _ in exact}
    found = {(i, j) for i, j, _ in approximate}
    assert len(exact_pairs) > 3000
    assert found <= exact_pairs  # every pair it reports is a true close pair
    assert len(found) / len(exact_pairs) >= 0.98


def test_neighbours_index_gives_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors = _clustered(2000, seed=1)
    exact = average_link_groups(vectors, 0.8)
    monkeypatch.setattr(neighbours, "EXACT_LIMIT", 100)
    assert average_link_groups(vectors, 0.8) == exact


def test_neighbours_exact_pairs_skip_self_and_cap_per_row() -> None:
    vectors = _clustered(50)
    rows, cols, sims = neighbours.neighbour_pairs(vectors, 0.5, 2)
    assert not np.any(rows == cols)
    assert np.bincount(rows).max() <= 2
    assert np.allclose(sims, np.sum(vectors[rows] * vectors[cols], axis=1), atol=1e-5)
