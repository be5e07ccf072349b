"""Near-duplicates of new articles among the stored ones, by the same MinHash signatures and LSH bands.

`duplicates.near_duplicate_groups` bands every signature of the corpus in memory; here each article's
signature and band keys are kept in the store (migration 0017), so a new article is compared with the
articles sharing one of its band keys only. Signatures are kept as their low 32 bits: two different
minimum hashes agree there with probability 2^-32, which leaves the Jaccard estimate as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narrascope.models import Article
from narrascope.reuse.duplicates import BANDS, PERMUTATIONS, signatures

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class SignedArticle:
    """An article's compact signature and the keys of its LSH bands."""

    article_id: str
    signature: Signature
    band_keys: tuple[int, ...]


def sign(articles: Sequence[Article]) -> list[SignedArticle]:
    """The compact signature and band keys of each article's body."""
    rows = signatures([article.body for article in articles])
    return [SignedArticle(article.id, compact, band_keys(compact))
            for article, compact in zip(articles, (row.astype(np.uint32) for row in rows), strict=True)]


def band_keys(signature: Signature) -> tuple[int, ...]:
    """One signed 64-bit key per band: its number and its rows, hashed (an SQLite INTEGER)."""
    width = PERMUTATIONS // BANDS
    return tuple(
        int.from_bytes(hashlib.blake2b(band.to_bytes(2, "little") + signature[band * width:(band + 1) * width]
                                       .tobytes(), digest_size=8).digest(), "little", signed=True)
        for band in range(BANDS))


def matches(
    new: Sequence[SignedArticle],
    candidates: Callable[[set[int]], list[tuple[int, str, Signature]]],
    threshold: float = 0.8,
) -> list[tuple[str, str, float]]:
    """(new article, stored or earlier new article, estimated Jaccard) for pairs at or above `threshold`.

    `candidates(band_keys)` gives (band key, article id, signature) of the stored articles in those bands.
    """
    buckets: dict[int, list[tuple[str, Signature]]] = {}
    for key, article_id, signature in candidates({key for article in new for key in article.band_keys}):
        buckets.setdefault(key, []).append((article_id, signature))
    found: list[tuple[str, str, float]] = []
    for article in new:
        seen: set[str] = {article.article_id}
        for key in article.band_keys:
            for other_id, signature in buckets.get(key, []):
                if other_id not in seen:
                    seen.add(other_id)
                    similarity = float(np.mean(article.signature == signature))
                    if similarity >= threshold:
                        found.append((article.article_id, other_id, similarity))
        for key in article.band_keys:  # later new articles find this one in the same buckets
            buckets.setdefault(key, []).append((article.article_id, article.signature))
    return found
