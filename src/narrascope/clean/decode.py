"""Line probabilities -> the article's lines: a two-state Viterbi pass over the page.

The classifier scores each line alone (with its neighbours' shape as features); the decoder
then chooses which lines are body, charging `switch_cost` (in log-odds) for every change
between body and not-body, so a lone prose-like line inside a sidebar stays out and a short
subheading between two paragraphs stays in. A line repeated later on the page is kept once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_EPSILON = 1e-6


def viterbi_body(probabilities: npt.NDArray[np.float64], switch_cost: float) -> list[bool]:
    """For each line, whether the best two-state path marks it as body."""
    total = len(probabilities)
    if total == 0:
        return []
    clipped = np.clip(probabilities, _EPSILON, 1 - _EPSILON)
    emit = np.stack([np.log(1 - clipped), np.log(clipped)], axis=1)  # columns: out, in
    best = emit[0].copy()
    back = np.zeros((total, 2), dtype=np.int8)
    for position in range(1, total):
        stay_out, from_in_to_out = best[0], best[1] - switch_cost
        stay_in, from_out_to_in = best[1], best[0] - switch_cost
        back[position, 0] = 0 if stay_out >= from_in_to_out else 1
        back[position, 1] = 1 if stay_in >= from_out_to_in else 0
        best = np.array([max(stay_out, from_in_to_out), max(stay_in, from_out_to_in)]) + emit[position]
    state = int(np.argmax(best))
    path = [False] * total
    for position in range(total - 1, -1, -1):
        path[position] = state == 1
        state = int(back[position, state])
    return path
