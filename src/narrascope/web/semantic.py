"""Semantic search over claim texts with the pipeline's embedding model and its cached vectors.

Only claims whose vectors the pipeline already cached (the narratives stage embeds every claim) are
searched, so a request embeds just the query; the vectors of the most recent claims (at most
SEMANTIC_CLAIM_CAP) are held in memory per state of the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from narrascope import views
from narrascope.narratives import Embedder
from narrascope.store import Store

SEMANTIC_CLAIM_CAP = 50_000


@dataclass(frozen=True)
class ClaimVectors:
    """Claim ids and their unit vectors (one row each) for one embedding model."""

    claim_ids: tuple[str, ...]
    matrix: npt.NDArray[np.float32]
    model_id: str
    claims_considered: int


def text_key(text: str) -> str:
    """The embedding cache key of a claim text, as the pipeline computes it."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:24]


def load_claim_vectors(store: Store, model_id: str, cap: int = SEMANTIC_CLAIM_CAP) -> ClaimVectors:
    """The cached vectors of the most recent claims (claims without one are left out)."""
    rows = store.claim_texts(cap)
    keys = [text_key(text) for _, text in rows]
    cached = store.cached_vectors(keys, model_id)
    kept = [(claim_id, cached[key]) for (claim_id, _), key in zip(rows, keys, strict=True) if key in cached]
    matrix = np.stack([vector for _, vector in kept]) if kept else np.zeros((0, 1), dtype=np.float32)
    return ClaimVectors(tuple(cid for cid, _ in kept), matrix.astype(np.float32), model_id, len(rows))


def semantic_page(store: Store, index: ClaimVectors, embedder: Embedder, query: str, *, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    """Claims closest in meaning to `query` (cosine of unit vectors), with their evidence."""
    result: dict[str, Any] = {"query": query, "mode": "semantic", "model": index.model_id,
                              "claims_searched": len(index.claim_ids), "claims_considered": index.claims_considered}
    if not query.strip() or not index.claim_ids:
        return views.paged([], 0, limit, offset) | result
    scores = index.matrix @ embedder.embed([query])[0]
    order = np.argsort(-scores)[offset:offset + limit]
    chosen = {index.claim_ids[i]: float(scores[i]) for i in order}
    rows = {row["id"]: row for row in store.claim_rows(claim_ids=list(chosen), limit=limit)}
    items = [views.claim_detail_record(rows[cid]) | {"score": round(score, 4)}
             for cid, score in chosen.items() if cid in rows]
    return views.paged(items, len(index.claim_ids), limit, offset) | result
