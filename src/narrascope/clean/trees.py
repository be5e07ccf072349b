"""A boosted tree ensemble stored as plain arrays (.npz, no pickle), evaluated with numpy.

bench/train_lines.py trains scikit-learn's HistGradientBoostingClassifier and writes its trees
here in this format (version 1): `feature`, `threshold`, `left`, `right`, `value`, `is_leaf`
per node of all trees concatenated, `roots` the first node of each tree, `baseline` the raw
score before the trees, `names` the feature names the model was trained on. A row goes left
when its value is <= the node's threshold, as in scikit-learn. The product needs numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FORMAT_VERSION = 1


class ModelFileError(ValueError):
    """The model file is missing, of another format version, or not for these features."""


@dataclass(frozen=True)
class TreeEnsemble:
    """Binary classifier: sigmoid(baseline + sum of one leaf value per tree)."""

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    value: npt.NDArray[np.float64]
    is_leaf: npt.NDArray[np.bool_]
    roots: npt.NDArray[np.int32]
    baseline: float
    depth: int
    names: tuple[str, ...]
    settings: dict[str, float]

    def probabilities(self, rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """P(class 1) of each row."""
        if len(rows) == 0:
            return np.zeros(0)
        data = rows.astype(np.float64)
        node = np.repeat(self.roots[:, None], len(data), axis=1)
        columns = np.arange(len(data))[None, :]
        for _ in range(self.depth):
            values = data[columns, self.feature[node]]
            step = np.where(values <= self.threshold[node], self.left[node], self.right[node])
            node = np.where(self.is_leaf[node], node, step)
        raw: npt.NDArray[np.float64] = self.baseline + self.value[node].sum(axis=0)
        probabilities: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-raw))
        return probabilities


def from_sklearn(model: Any, names: tuple[str, ...], settings: dict[str, float]) -> TreeEnsemble:
    """The trees of a fitted binary HistGradientBoostingClassifier (scikit-learn 1.9) as arrays."""
    parts: dict[str, list[npt.NDArray[Any]]] = {key: [] for key in ("feature", "threshold", "left", "right",
                                                                     "value", "is_leaf")}
    roots: list[int] = []
    depth = offset = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        roots.append(offset)
        parts["feature"].append(nodes["feature_idx"])
        parts["threshold"].append(nodes["num_threshold"])
        parts["left"].append(nodes["left"].astype(np.int64) + offset)
        parts["right"].append(nodes["right"].astype(np.int64) + offset)
        parts["value"].append(nodes["value"])
        parts["is_leaf"].append(nodes["is_leaf"])
        depth = max(depth, int(nodes["depth"].max()))
        offset += len(nodes)
    joined = {key: np.concatenate(value) for key, value in parts.items()}
    return TreeEnsemble(
        feature=joined["feature"].astype(np.int32), threshold=joined["threshold"].astype(np.float64),
        left=joined["left"].astype(np.int32), right=joined["right"].astype(np.int32),
        value=joined["value"].astype(np.float64), is_leaf=joined["is_leaf"].astype(np.bool_),
        roots=np.array(roots, dtype=np.int32), baseline=float(np.ravel(model._baseline_prediction)[0]),
        depth=depth, names=names, settings=settings,
    )


def load_ensemble(path: Path, names: tuple[str, ...]) -> TreeEnsemble:
    """Read a model file written by `save_ensemble`, checking it was trained on `names`."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError) as error:
        raise ModelFileError(f"{path}: cannot read the line model ({error})") from error
    if int(arrays["version"]) != FORMAT_VERSION:
        raise ModelFileError(f"{path}: model format {int(arrays['version'])}, expected {FORMAT_VERSION}")
    stored = tuple(str(name) for name in arrays["names"])
    if stored != names:
        raise ModelFileError(f"{path}: trained on other features than this version computes; retrain it")
    setting_names = [str(name) for name in arrays["setting_names"]]
    return TreeEnsemble(
        feature=arrays["feature"].astype(np.int32), threshold=arrays["threshold"].astype(np.float64),
        left=arrays["left"].astype(np.int32), right=arrays["right"].astype(np.int32),
        value=arrays["value"].astype(np.float64), is_leaf=arrays["is_leaf"].astype(np.bool_),
        roots=arrays["roots"].astype(np.int32), baseline=float(arrays["baseline"]), depth=int(arrays["depth"]),
        names=stored, settings=dict(zip(setting_names, (float(v) for v in arrays["setting_values"]), strict=True)),
    )


def save_ensemble(path: Path, ensemble: TreeEnsemble) -> None:
    """Write `ensemble` in format version `FORMAT_VERSION` (compressed .npz)."""
    np.savez_compressed(
        path, version=np.array(FORMAT_VERSION), feature=ensemble.feature.astype(np.int16),
        threshold=ensemble.threshold, left=ensemble.left, right=ensemble.right,
        value=ensemble.value.astype(np.float32), is_leaf=ensemble.is_leaf, roots=ensemble.roots,
        baseline=np.array(ensemble.baseline), depth=np.array(ensemble.depth), names=np.array(ensemble.names),
        setting_names=np.array(list(ensemble.settings)), setting_values=np.array(list(ensemble.settings.values())),
    )
