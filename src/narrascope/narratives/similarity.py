"""Pairs of items whose vectors are close, computed in blocks so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

_BLOCK = 2048


def close_pairs(vectors: npt.NDArray[np.float32], threshold: float) -> Iterator[tuple[int, int, float]]:
    """Yield (i, j, cosine) for i < j with cosine >= threshold; vectors must be unit length."""
    count = vectors.shape[0]
    for start in range(0, count, _BLOCK):
        block = vectors[start:start + _BLOCK] @ vectors.T
        rows, cols = np.nonzero(block >= threshold)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            i = start + row
            if i < col:
                yield i, col, float(block[row, col])


class DisjointSets:
    """Union-find over 0..n-1."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """The representative of item's set."""
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:
            self._parent[item], item = root, self._parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        """Merge the sets of first and second."""
        self._parent[self.find(first)] = self.find(second)

    def groups(self) -> list[list[int]]:
        """Every set as a sorted list, in order of its smallest member."""
        by_root: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            by_root.setdefault(self.find(item), []).append(item)
        return sorted(by_root.values(), key=lambda group: group[0])
