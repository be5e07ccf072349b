"""A nearest-neighbour index over the whole-text vectors of every clustered claim, kept next to the database.

The incremental refresh asks it which stored claims a new claim's passages are close to (candidates,
whose passages are then compared exactly), instead of comparing with every claim. It is saved beside an
SQLite file (`<db>.claims.faiss`, `.ids`, `.json`) with the derived-state fingerprint it was built for,
extended with each refresh's new vectors, and rebuilt when absent or stale (fingerprint or row count
differ). Exact inner products up to `EXACT_LIMIT` rows; above, an inverted file of 8-bit scalar-quantised
vectors (FAISS IVF-SQ8): a quarter of the memory of float vectors (4.5M claims: 1.7 GB instead of 6.9 GB),
built by one k-means over a sample and extended without retraining. Quantisation only decides which
candidates are looked at: every decision uses exact cosines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from narrascope.narratives.neighbours import EXACT_LIMIT

Vectors = npt.NDArray[np.float32]
DIMENSION = 384
TRAIN_PER_LIST = 40  # k-means sample: rows per inverted list (FAISS warns below 39)
PROBES = 24  # inverted lists searched per query


class ClaimIndex:
    """Passage vectors with, for each row, the id of the claim the passage belongs to."""

    def __init__(self, index: Any, claim_ids: npt.NDArray[np.bytes_]) -> None:
        self._index = index
        self.claim_ids = claim_ids

    @classmethod
    def build(cls, vectors: Vectors, claim_ids: list[str]) -> ClaimIndex:
        """An index over these rows (exact when small)."""
        return cls.build_from_chunks([vectors], claim_ids)

    @classmethod
    def build_from_chunks(cls, chunks: list[Vectors], claim_ids: list[str]) -> ClaimIndex:
        """An index over the rows of these chunks, in order; the list is emptied as they are added.

        The rows are never concatenated: at 4.5M claims one float copy is 6.9 GB, so joining them would
        double the build's peak memory. The k-means sample is gathered across chunks.
        """
        rows = sum(len(chunk) for chunk in chunks)
        made = cls(_new_index_over(chunks, rows), np.zeros(0, dtype="S1"))
        offset = 0
        while chunks:
            chunk = chunks.pop(0)
            made.add(chunk, claim_ids[offset:offset + len(chunk)])
            offset += len(chunk)
        return made

    @property
    def size(self) -> int:
        """Rows held."""
        return int(self._index.ntotal)

    def add(self, vectors: Vectors, claim_ids: list[str]) -> None:
        """Append rows; an exact index that grows past `EXACT_LIMIT` becomes an IVF-SQ8 one."""
        if not claim_ids:
            return
        import faiss

        if isinstance(self._index, faiss.IndexFlatIP) and self.size + len(claim_ids) > EXACT_LIMIT:
            held = self._index.reconstruct_n(0, self.size) if self.size else np.zeros((0, vectors.shape[1]),
                                                                                     dtype=np.float32)
            self._index = _new_index(np.concatenate([held, vectors]))
            if len(held):
                self._index.add(np.ascontiguousarray(held, dtype=np.float32))
        self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.claim_ids = np.concatenate([self.claim_ids, np.array([c.encode() for c in claim_ids])])

    def search(self, vectors: Vectors, neighbours: int) -> tuple[Vectors, npt.NDArray[np.int64]]:
        """Each row's `neighbours` closest rows (cosine, row number; -1 where fewer exist)."""
        if not len(vectors) or not self.size:
            return (np.zeros((len(vectors), 0), dtype=np.float32), np.zeros((len(vectors), 0), dtype=np.int64))
        import faiss

        if isinstance(self._index, faiss.IndexIVF):
            self._index.nprobe = PROBES
        similarity, rows = self._index.search(np.ascontiguousarray(vectors, dtype=np.float32),
                                              min(neighbours, self.size))
        return similarity.astype(np.float32), rows.astype(np.int64)

    def claim_id(self, row: int) -> str:
        """The claim a row's passage belongs to."""
        return bytes(self.claim_ids[row]).decode()

    def save(self, path: Path, fingerprint: str) -> None:
        """Write the index for the derived state `fingerprint` (the metadata last, so a torn write is stale)."""
        import faiss

        faiss.write_index(self._index, str(_part(path, ".faiss.tmp")))
        with _part(path, ".ids.tmp").open("wb") as ids:
            np.save(ids, self.claim_ids)
        _part(path, ".json.tmp").write_text(json.dumps({"fingerprint": fingerprint, "rows": self.size}))
        for suffix in (".faiss", ".ids", ".json"):
            os.replace(_part(path, suffix + ".tmp"), _part(path, suffix))

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> ClaimIndex | None:
        """The saved index if it was saved for `fingerprint` and is whole; None when absent or stale."""
        import faiss

        try:
            meta = json.loads(_part(path, ".json").read_text())
            if meta.get("fingerprint") != fingerprint:
                return None
            index = faiss.read_index(str(_part(path, ".faiss")))
            with _part(path, ".ids").open("rb") as ids:
                claim_ids = np.load(ids)
        except (OSError, ValueError, RuntimeError):
            return None
        if int(index.ntotal) != meta.get("rows") or len(claim_ids) != index.ntotal:
            return None
        return cls(index, claim_ids)


def index_path(database: str) -> Path | None:
    """Where the index of an SQLite database is kept; None for PostgreSQL (built in memory per refresh)."""
    if "://" in database:
        return None
    return Path(database + ".claims")


def _part(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _new_index(vectors: Vectors) -> Any:
    """An empty index for about these rows: exact when few, else IVF-SQ8 trained on a sample of them."""
    return _new_index_over([vectors], len(vectors))


def _new_index_over(chunks: list[Vectors], rows: int) -> Any:
    """`_new_index` for rows held in consecutive chunks (the sample is picked over all of them)."""
    import faiss

    dimension = next((chunk.shape[1] for chunk in chunks if len(chunk)), DIMENSION)
    if rows <= EXACT_LIMIT:
        return faiss.IndexFlatIP(dimension)
    lists = int(np.clip(np.sqrt(rows), 256, 16_384))
    index = faiss.index_factory(dimension, f"IVF{lists},SQ8", faiss.METRIC_INNER_PRODUCT)
    sample = np.sort(np.random.default_rng(0).choice(rows, min(rows, lists * TRAIN_PER_LIST), replace=False))
    starts = np.cumsum([0] + [len(chunk) for chunk in chunks])
    picked = [chunk[sample[(sample >= start) & (sample < start + len(chunk))] - start]
              for chunk, start in zip(chunks, starts[:-1], strict=True)]
    index.train(np.ascontiguousarray(np.concatenate(picked), dtype=np.float32))
    return index
