"""Pairs of items whose vectors are close, computed in blocks so memory stays flat."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from narrascope.narratives.neighbours import neighbour_pairs


def close_pairs(vectors: npt.NDArray[np.float32], threshold: float) -> Iterator[tuple[int, int, float]]:
    """Yield (i, j, cosine) for i < j with cosine >= threshold; vectors must be unit length.

    Exact up to `neighbours.EXACT_LIMIT` vectors; above it, among each vector's nearest in an HNSW index.
    """
    rows, cols, sims = neighbour_pairs(vectors, threshold, None)
    seen: set[tuple[int, int]] = set()
    for i, j, similarity in zip(rows.tolist(), cols.tolist(), sims.tolist(), strict=True):
        pair = (i, j) if i < j else (j, i)
        if pair not in seen:  # the index finds a pair from both ends
            seen.add(pair)
            yield pair[0], pair[1], float(similarity)


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


def average_link_groups(vectors: npt.NDArray[np.float32], threshold: float, neighbours: int = 16) -> list[list[int]]:
    """Average-linkage groups (mean cosine >= threshold) without the all-pairs distance matrix.

    Two groups whose mean similarity reaches the threshold share at least one pair that does, so
    average linkage never joins items that are not connected in the graph of pairs >= threshold: each
    connected component is clustered on its own. Each item keeps its `neighbours` closest edges, which
    bounds memory on dense regions. The edges come from `neighbour_pairs`: exact up to 20k items, an
    HNSW index above (bench/cluster_scale.py has the figures).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from narrascope.narratives.stories import average_link

    count = len(vectors)
    if count < 2:
        return [[index] for index in range(count)]
    rows, cols, _ = neighbour_pairs(vectors, threshold, neighbours)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(count, count))
    _, component = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(component.tolist()):
        members.setdefault(int(label), []).append(index)
    groups: list[list[int]] = []
    for group in members.values():
        if len(group) == 1:
            groups.append(group)
            continue
        part = vectors[group].astype(np.float64)
        groups.extend([[group[i] for i in sub] for sub in average_link(part @ part.T, threshold)])
    return sorted(groups, key=lambda group: group[0])
