"""Semantic search over claim texts with the pipeline's embedding model and its cached vectors.

Only claims whose vectors the pipeline already cached (the narratives stage embeds every claim) are
searched, so a request embeds just the query. The index holds one row per distinct claim text (a
statement repeated by many outlets is one row), at most SEMANTIC_VECTOR_CAP rows of the most recent
texts (384 float32 each: 500k rows are 730 MiB per server process), and for each row the rowids of the
claims that carry it; it is built once per state of the database. Claim ids are looked up only for the
claims a page shows, so a million-article database does not hold millions of id strings in memory.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from narrascope import views
from narrascope.narratives import Embedder
from narrascope.store import Store

SEMANTIC_VECTOR_CAP = 500_000
KEY_BATCH = 5000


@dataclass(frozen=True)
class ClaimVectors:
    """Unit vectors of distinct claim texts and, per row, the claims (rowids) that carry the text."""

    matrix: npt.NDArray[np.float32]  # (rows, dim)
    claim_rowids: npt.NDArray[np.int64]  # grouped by row: row r's claims are [row_starts[r], row_starts[r + 1])
    row_starts: npt.NDArray[np.int64]
    model_id: str
    claims_considered: int

    @property
    def claims_searched(self) -> int:
        return len(self.claim_rowids)


def text_key(text: str) -> str:
    """The embedding cache key of a claim text, as the pipeline computes it."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:24]


def load_claim_vectors(store: Store, model_id: str, cap: int = SEMANTIC_VECTOR_CAP) -> ClaimVectors:
    """The cached vectors of every claim's text, newest texts first, at most `cap` distinct texts.

    Claims whose text has no cached vector, or whose text is past the cap, are left out (and counted in
    `claims_considered`, so a page can say how much was searched).
    """
    row_of: dict[str, int] = {}
    vectors: list[npt.NDArray[np.float32]] = []
    rowids = array("q")  # compact: a million-article database has millions of claims
    rows = array("q")
    considered = 0
    pending: list[tuple[int, str]] = []

    def place(batch: list[tuple[int, str]]) -> None:
        fresh = list(dict.fromkeys(key for _, key in batch if key not in row_of)) if len(row_of) < cap else []
        found = store.cached_vectors(fresh, model_id)
        for key in fresh:  # newest first, until the cap
            if key in found and len(row_of) < cap:
                row_of[key] = len(vectors)
                vectors.append(found[key])
        for rowid, key in batch:
            row = row_of.get(key)
            if row is not None:
                rowids.append(rowid)
                rows.append(row)

    for rowid, text in store.iter_claim_texts():
        considered += 1
        pending.append((rowid, text_key(text)))
        if len(pending) >= KEY_BATCH:
            place(pending)
            pending = []
    place(pending)
    dim = len(vectors[0]) if vectors else 1
    matrix = np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, dim), dtype=np.float32)
    row_array = np.frombuffer(rows, dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
    order = np.argsort(row_array, kind="stable")  # claims grouped by row, newest first within each
    starts = np.searchsorted(row_array[order], np.arange(len(vectors) + 1)).astype(np.int64)
    claim_rowids = np.frombuffer(rowids, dtype=np.int64)[order] if rowids else np.zeros(0, dtype=np.int64)
    return ClaimVectors(matrix, claim_rowids, starts, model_id, considered)


def semantic_page(store: Store, index: ClaimVectors, embedder: Embedder, query: str, *, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    """Claims closest in meaning to `query` (cosine of unit vectors), with their evidence."""
    result: dict[str, Any] = {"query": query, "mode": "semantic", "model": index.model_id,
                              "claims_searched": index.claims_searched, "claims_considered": index.claims_considered}
    if not query.strip() or not index.claims_searched:
        return views.paged([], 0, limit, offset) | result
    scores = index.matrix @ embedder.embed([query])[0]
    wanted = min(offset + limit, len(scores))  # every row carries at least one claim: this many rows suffice
    best = np.argpartition(-scores, wanted - 1)[:wanted] if wanted < len(scores) else np.arange(len(scores))
    best = best[np.argsort(-scores[best], kind="stable")]
    chosen: list[tuple[int, float]] = []
    for row in best:
        members = index.claim_rowids[index.row_starts[row]:index.row_starts[row + 1]]
        chosen.extend((int(rowid), float(scores[row])) for rowid in members[:offset + limit - len(chosen)])
        if len(chosen) >= offset + limit:
            break
    page = chosen[offset:offset + limit]
    ids = store.claim_ids_of_rowids([rowid for rowid, _ in page])
    rows = {row["id"]: row for row in store.claim_rows(claim_ids=list(ids.values()), limit=limit)}
    items = [views.claim_detail_record(rows[ids[rowid]]) | {"score": round(score, 4)}
             for rowid, score in page if ids.get(rowid) in rows]
    return views.paged(items, index.claims_searched, limit, offset) | result
