"""The tree-ensemble file format: scikit-learn's model, exported and read back, predicts the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from narrascope.clean.trees import ModelFileError, from_sklearn, load_ensemble, save_ensemble

NAMES = ("a", "b", "c")


def _fitted() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(600, 3)).astype(np.float32)
    labels = (rows[:, 0] + 0.5 * rows[:, 1] ** 2 > 0.3).astype(int)
    return HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(rows, labels), rows


def test_clean_trees_round_trip_matches_sklearn(tmp_path: Path) -> None:
    model, rows = _fitted()
    path = tmp_path / "model.npz"
    save_ensemble(path, from_sklearn(model, NAMES, {"switch_cost": 2.0}))
    loaded = load_ensemble(path, NAMES)
    assert np.allclose(loaded.probabilities(rows), model.predict_proba(rows)[:, 1], atol=1e-6)
    assert loaded.settings == {"switch_cost": 2.0}


def test_clean_trees_other_features_are_refused(tmp_path: Path) -> None:
    model, _rows = _fitted()
    path = tmp_path / "model.npz"
    save_ensemble(path, from_sklearn(model, NAMES, {}))
    with pytest.raises(ModelFileError, match="other features"):
        load_ensemble(path, ("a", "b"))


def test_clean_trees_unreadable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match=r"broken\.npz"):
        load_ensemble(path, NAMES)
