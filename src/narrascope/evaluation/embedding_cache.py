"""A disk cache of sentence vectors for the evaluation drivers (keyed by model id and text hash)."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrascope.narratives.catalogue import EmbedFunction

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


class CachedEmbedder:
    """Wraps an embed function with a vector cache on disk (keyed by model id and text hash).

    Benchmarks on a shared 2-core machine re-embed the same sentences on every run; caching them in
    /tmp keeps a re-run to seconds.
    """

    def __init__(self, embed: EmbedFunction, model_id: str, path: Path) -> None:
        self._embed = embed
        self._path = path
        self._prefix = model_id
        self._cache: dict[str, Vectors] = {}
        self._dirty = False
        if path.exists():
            with np.load(path) as stored:
                keys = stored["keys"].tolist()
                vectors = stored["vectors"]
                self._cache = {str(key): vectors[number] for number, key in enumerate(keys)}
            logger.info("loaded %d cached vectors from %s", len(self._cache), path)

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self._prefix}\x00{text}".encode(), usedforsecurity=False).hexdigest()

    def __call__(self, texts: list[str]) -> Vectors:
        """Unit vectors for `texts`, embedding only those not cached yet."""
        keys = [self._key(text) for text in texts]
        missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in self._cache}.items())
        if missing:
            vectors = self._embed([text for _, text in missing])
            for (key, _), vector in zip(missing, vectors, strict=True):
                self._cache[key] = vector
            self._dirty = True
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[key] for key in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache back when it grew."""
        if not self._dirty:
            return
        keys = list(self._cache)
        np.savez(self._path, keys=np.array(keys), vectors=np.stack([self._cache[key] for key in keys]))
        self._dirty = False
