"""Article labels against a two-level catalogue, learned from labelled articles when a user has some.

Scores per label come from one of several scorers (similarity to the catalogue's probes, kNN over labelled
articles, one-vs-rest logistic regression on article vectors); `decode` turns them into label sets with the
hierarchy of SemEval-2025 Task 10: `Other` when no narrative fires, a narrative's sub-narratives when they
fire, else `<narrative>: Other` (the task's residual sub-label). Thresholds are tuned on training data only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Vectors = npt.NDArray[np.float32]
OTHER = "Other"


@dataclass(frozen=True)
class LabelScores:
    """Scores for a batch of articles: one narrative-presence score, and one per coarse and fine label."""

    narrative: FloatArray  # (articles,)
    coarse: FloatArray  # (articles, len(coarse_labels))
    fine: FloatArray  # (articles, len(fine_labels))

    def subset(self, rows: npt.NDArray[np.int64]) -> LabelScores:
        """The scores of some articles."""
        return LabelScores(self.narrative[rows], self.coarse[rows], self.fine[rows])


@dataclass(frozen=True)
class Thresholds:
    """Where a score counts: `narrative` gates `Other`; `coarse`/`fine` select labels."""

    narrative: float
    coarse: float
    fine: float


@dataclass(frozen=True)
class LabelSpace:
    """Coarse labels and the fine labels under them (residual `X: Other` sub-labels excluded)."""

    coarse: tuple[str, ...]
    fine: tuple[str, ...]

    def parent(self, fine_label: str) -> str:
        """`A: b` -> `A`."""
        return fine_label.rsplit(": ", 1)[0]


LabelSets = list[tuple[frozenset[str], frozenset[str]]]


def decode(scores: LabelScores, space: LabelSpace, thresholds: Thresholds) -> LabelSets:
    """Label sets (coarse, fine) per article.

    Args:
        scores: per-article scores.
        space: the label names, in the column order of `scores`.
        thresholds: the narrative gate and the label cut-offs.

    Returns:
        For each article, ({Other}, {Other}) when its narrative score is under the gate; otherwise every
        coarse label at or over the cut-off (at least the best one) and, under each, the fine labels over
        theirs, or `<narrative>: Other` when none is.
    """
    parent_column = {label: space.coarse.index(space.parent(label)) for label in space.fine
                     if space.parent(label) in space.coarse}
    result: list[tuple[frozenset[str], frozenset[str]]] = []
    for row in range(len(scores.narrative)):
        if scores.narrative[row] < thresholds.narrative or not space.coarse:
            result.append((frozenset({OTHER}), frozenset({OTHER})))
            continue
        coarse_row = scores.coarse[row]
        chosen = set(np.nonzero(coarse_row >= thresholds.coarse)[0].tolist()) or {int(np.argmax(coarse_row))}
        fine: set[str] = set()
        for column in chosen:
            children = [number for number, label in enumerate(space.fine) if parent_column.get(label) == column]
            firing = [space.fine[number] for number in children if scores.fine[row, number] >= thresholds.fine]
            fine.update(firing or [f"{space.coarse[column]}: {OTHER}"])
        result.append((frozenset(space.coarse[column] for column in chosen), frozenset(fine)))
    return result


def _set_f1(gold: frozenset[str], predicted: frozenset[str]) -> float:
    return 1.0 if not gold and not predicted else 2.0 * len(gold & predicted) / (len(gold) + len(predicted))


def _grid(values: FloatArray, steps: int = 24) -> list[float]:
    """Candidate cut-offs: quantiles of the scores and midpoints between them (any scale: cosines, probabilities).

    The midpoints matter where scores leave a gap (a cut in the middle of a gap generalises best).
    """
    finite = values[np.isfinite(values)]
    if not len(finite):
        return [0.5]
    quantiles = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, steps)))
    middles = (quantiles[1:] + quantiles[:-1]) / 2.0
    return sorted({float(q) for q in np.concatenate([quantiles, middles])})


def tune_thresholds(
    scores: LabelScores,
    space: LabelSpace,
    gold: Sequence[tuple[frozenset[str], frozenset[str]]],
    gate: bool = True,
) -> Thresholds:
    """Pick cut-offs that maximise samples F1 (coarse + fine) on training articles, one after the other.

    The coarse cut-off is tuned on articles that carry a narrative, then the fine one, then the narrative
    gate on all articles (coordinate search: three short grids instead of their product).

    Args:
        scores: out-of-fold scores of the training articles (scores on the articles a model was fitted on
            would be over-confident).
        space: label names.
        gold: (coarse, fine) gold sets per article.
        gate: False keeps every article narrative-bearing (the gate at minus infinity).

    Returns:
        The tuned thresholds.
    """
    bearing = np.array([coarse != frozenset({OTHER}) for coarse, _ in gold])
    rows = np.nonzero(bearing)[0]
    always = Thresholds(-np.inf, 0.5, 0.5)

    def total(thresholds: Thresholds, subset: npt.NDArray[np.int64], level: int | None) -> float:
        predicted = decode(scores.subset(subset), space, thresholds)
        pairs = [(gold[i], p) for i, p in zip(subset.tolist(), predicted, strict=True)]
        if level is not None:
            return float(np.mean([_set_f1(g[level], p[level]) for g, p in pairs])) if pairs else 0.0
        return float(np.mean([_set_f1(g[0], p[0]) + _set_f1(g[1], p[1]) for g, p in pairs])) if pairs else 0.0

    coarse = max(_grid(scores.coarse[rows].ravel()),
                 key=lambda cut: total(Thresholds(-np.inf, cut, always.fine), rows, 0))
    fine = max(_grid(scores.fine[rows].ravel()),
               key=lambda cut: total(Thresholds(-np.inf, coarse, cut), rows, 1))
    if not gate:
        return Thresholds(-np.inf, coarse, fine)
    everyone = np.arange(len(gold))
    narrative = max([-np.inf, *_grid(scores.narrative, 40)],
                    key=lambda cut: total(Thresholds(cut, coarse, fine), everyone, None))
    return Thresholds(narrative, coarse, fine)


def logistic_scores(
    train: npt.NDArray[np.floating], targets: npt.NDArray[np.int_], test: npt.NDArray[np.floating],
    strength: float = 3.0,
) -> FloatArray:
    """One-vs-rest logistic regression (balanced classes): probability of each target column for `test`.

    A column that is constant in training gets its training rate.
    """
    from sklearn.linear_model import LogisticRegression

    result = np.zeros((test.shape[0], targets.shape[1]), dtype=np.float64)
    for column in range(targets.shape[1]):
        labels = targets[:, column]
        if labels.min() == labels.max():
            result[:, column] = float(labels[0]) if len(labels) else 0.0
            continue
        model = LogisticRegression(C=strength, class_weight="balanced", max_iter=3000)
        model.fit(train, labels)
        result[:, column] = model.predict_proba(test)[:, 1]
    return result


def knn_scores(
    train: Vectors, targets: npt.NDArray[np.int_], test: Vectors, neighbours: int = 10, sharpness: float = 3.0,
) -> FloatArray:
    """Similarity-weighted vote of the nearest training articles (unit vectors, cosine)."""
    similarity = test @ train.T
    count = min(neighbours, train.shape[0])
    nearest = np.argsort(-similarity, axis=1)[:, :count]
    weights = np.clip(np.take_along_axis(similarity, nearest, axis=1), 0.0, None) ** sharpness + 1e-9
    votes = np.einsum("ik,ikj->ij", weights, targets[nearest].astype(np.float64))
    scores: FloatArray = votes / weights.sum(axis=1, keepdims=True)
    return scores


def probe_similarity(
    sentence_vectors: Sequence[Vectors], probe_vectors: Vectors, probe_label: Sequence[int], labels: int, top: int = 3,
) -> FloatArray:
    """Per article and label: mean of the `top` best sentence similarities to any of the label's probes.

    The mean of a few sentences rather than the single best one: one stray sentence should not carry a
    narrative (measured on SemEval-2025 Task 10: top-3 beat the maximum, bench/eval_narratives.py).
    """
    owner = np.asarray(probe_label)
    result = np.full((len(sentence_vectors), labels), -1.0, dtype=np.float64)
    for article, vectors in enumerate(sentence_vectors):
        if not len(vectors):
            continue
        similarity = vectors @ probe_vectors.T
        for label in range(labels):
            columns = np.nonzero(owner == label)[0]
            if not len(columns):
                continue
            best = np.sort(similarity[:, columns].max(axis=1))[-top:]
            result[article, label] = float(best.mean())
    return result
