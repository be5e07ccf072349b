"""Label sets from per-label scores: the top level first, then narratives, then sub-narratives under them.

A two-level catalogue (narrative -> sub-narrative) often sits inside a third level, its domains (SemEval-2025
Task 10: `URW: ...` and `CC: ...`). Decoding picks the domain first, then the narratives of that domain whose
score passes their own cut-off, then under each the sub-narratives that pass theirs, else the residual
`<narrative>: Other`. Per-label cut-offs are learned from training articles by coordinate ascent starting
from one shared cut-off, so a label with few examples keeps the shared one unless its own is clearly better.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narrascope.narratives.catalogue_learning import (
    OTHER,
    FloatArray,
    LabelScores,
    LabelSets,
    LabelSpace,
    _grid,
    _set_f1,
)


@dataclass(frozen=True)
class LabelCuts:
    """Where scores count: the `Other` gate, one cut-off per narrative and one per sub-narrative."""

    narrative: float
    coarse: FloatArray
    fine: FloatArray


def domain_of(label: str) -> str:
    """`URW: Blaming the war on others` -> `URW`; a label without a prefix is its own domain."""
    return label.split(": ", 1)[0]


def decode_hierarchy(
    scores: LabelScores, space: LabelSpace, cuts: LabelCuts, domain: Sequence[str] | None = None
) -> LabelSets:
    """Label sets (coarse, fine) per article, one level after the other.

    Args:
        scores: per-article scores, columns in the order of `space`.
        space: the label names.
        cuts: the gate and the per-label cut-offs.
        domain: per article, the domain its labels must come from (None: any).

    Returns:
        ({Other}, {Other}) under the gate; else the narratives over their cut-off (at least the best one of
        the domain) and under each its sub-narratives over theirs, or `<narrative>: Other` when none is.
    """
    coarse_domain = [domain_of(label) for label in space.coarse]
    children = [[number for number, fine in enumerate(space.fine) if space.parent(fine) == label]
                for label in space.coarse]
    result: LabelSets = []
    for row in range(len(scores.narrative)):
        if scores.narrative[row] < cuts.narrative or not space.coarse:
            result.append((frozenset({OTHER}), frozenset({OTHER})))
            continue
        allowed = np.array([domain is None or d == domain[row] for d in coarse_domain])
        if not allowed.any():
            allowed[:] = True
        coarse_row = np.where(allowed, scores.coarse[row], -np.inf)
        chosen = set(np.nonzero(coarse_row >= cuts.coarse)[0].tolist()) or {int(np.argmax(coarse_row))}
        fine: set[str] = set()
        for column in chosen:
            firing = [space.fine[n] for n in children[column] if scores.fine[row, n] >= cuts.fine[n]]
            fine.update(firing or [f"{space.coarse[column]}: {OTHER}"])
        result.append((frozenset(space.coarse[c] for c in chosen), frozenset(fine)))
    return result


def tune_cuts(
    scores: LabelScores,
    space: LabelSpace,
    gold: Sequence[tuple[frozenset[str], frozenset[str]]],
    domain: Sequence[str] | None = None,
    gate: bool = True,
    per_label: bool = True,
    rounds: int = 2,
) -> LabelCuts:
    """Cut-offs that maximise samples F1 on training articles (out-of-fold scores), level by level.

    First one shared cut-off per level (on narrative-bearing articles), then, with `per_label`, each
    label's own cut-off in turn (`rounds` passes), then the `Other` gate on all articles.
    """
    bearing = np.nonzero(np.array([coarse != frozenset({OTHER}) for coarse, _ in gold]))[0]
    sub_scores = scores.subset(bearing)
    sub_domain = [domain[i] for i in bearing.tolist()] if domain is not None else None
    sub_gold = [gold[i] for i in bearing.tolist()]

    def total(cuts: LabelCuts, level: int) -> float:
        predicted = decode_hierarchy(sub_scores, space, cuts, sub_domain)
        return float(np.mean([_set_f1(g[level], p[level]) for g, p in zip(sub_gold, predicted, strict=True)]))

    coarse_count, fine_count = len(space.coarse), len(space.fine)
    cuts = LabelCuts(-np.inf, np.full(coarse_count, 0.5), np.full(fine_count, 0.5))
    if not len(bearing):
        return cuts
    shared = max(_grid(sub_scores.coarse.ravel()), key=lambda c: total(_with(cuts, coarse=np.full(coarse_count, c)), 0))
    cuts = _with(cuts, coarse=np.full(coarse_count, shared))
    shared = max(_grid(sub_scores.fine.ravel()), key=lambda c: total(_with(cuts, fine=np.full(fine_count, c)), 1))
    cuts = _with(cuts, fine=np.full(fine_count, shared))
    if per_label:
        for _ in range(rounds):
            cuts = _with(cuts, coarse=_per_label(cuts.coarse, sub_scores.coarse, _objective(total, cuts, "coarse")))
            cuts = _with(cuts, fine=_per_label(cuts.fine, sub_scores.fine, _objective(total, cuts, "fine")))
    if not gate:
        return cuts
    everyone = np.arange(len(gold))

    def overall(gate_cut: float) -> float:
        predicted = decode_hierarchy(scores, space, _with(cuts, narrative=gate_cut), domain)
        return float(np.mean([_set_f1(gold[i][0], p[0]) + _set_f1(gold[i][1], p[1])
                              for i, p in zip(everyone.tolist(), predicted, strict=True)]))

    return _with(cuts, narrative=max([-np.inf, *_grid(scores.narrative, 40)], key=overall))


def _per_label(
    current: FloatArray, columns: npt.NDArray[np.float64], objective: Callable[[FloatArray], float], steps: int = 12
) -> FloatArray:
    """One pass of coordinate ascent over the columns' cut-offs; ties keep the current value."""
    values = current.copy()
    best = objective(values)
    for column in range(len(values)):
        for candidate in _grid(columns[:, column], steps):
            trial = values.copy()
            trial[column] = candidate
            score = objective(trial)
            if score > best + 1e-9:
                best, values = score, trial
    return values


def _objective(
    total: Callable[[LabelCuts, int], float], base: LabelCuts, level: str
) -> Callable[[FloatArray], float]:
    """Samples F1 at one level as a function of that level's cut-offs (the others fixed at `base`)."""
    if level == "coarse":
        return lambda values: total(_with(base, coarse=values), 0)
    return lambda values: total(_with(base, fine=values), 1)


def _with(cuts: LabelCuts, *, narrative: float | None = None, coarse: FloatArray | None = None,
          fine: FloatArray | None = None) -> LabelCuts:
    return LabelCuts(cuts.narrative if narrative is None else narrative,
                     cuts.coarse if coarse is None else coarse, cuts.fine if fine is None else fine)
