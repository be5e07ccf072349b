"""Readable labels: a representative claim plus key terms."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_LABEL_CHARS = 160
# Words of reporting, not of content: they say nothing about what a narrative is about.
_REPORTING_WORDS = frozenset({"said", "says", "say", "stated", "added", "told", "according", "noted", "claimed",
                              "believe", "also", "would", "could", "like", "just", "yes"})


def representative(vectors: npt.NDArray[np.float32]) -> int:
    """Index of the medoid: the item most similar on average to all the others."""
    if len(vectors) == 1:
        return 0
    centrality = (vectors @ vectors.T).mean(axis=1)
    return int(np.argmax(centrality))


def short_label(speaker: str | None, text: str) -> str:
    """'Speaker: text' cut at a word boundary."""
    text = " ".join(text.split()).strip("\"“”‘’' ")
    if len(text) > _LABEL_CHARS:
        text = text[:_LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return f"{speaker}: {text}" if speaker else text


def _terms(text: str) -> list[str]:
    words = [w.lower().strip("'’-") for w in _TOKEN.findall(text)]
    words = [w for w in words if len(w) > 2 and w not in ENGLISH_STOP_WORDS and w not in _REPORTING_WORDS]
    bigrams = [f"{a} {b}" for a, b in pairwise(words)]
    return words + bigrams


def key_terms(group_texts: Sequence[str], all_texts: Sequence[str], count: int = 6) -> tuple[str, ...]:
    """Terms frequent in the group and rare elsewhere (tf-idf against every claim)."""
    document_frequency: Counter[str] = Counter()
    for text in all_texts:
        document_frequency.update(set(_terms(text)))
    group_frequency: Counter[str] = Counter()
    for text in group_texts:
        group_frequency.update(set(_terms(text)))
    total = len(all_texts) + 1
    scored = sorted(
        ((freq * math.log(total / (1 + document_frequency[term])), term) for term, freq in group_frequency.items()
         if freq >= 2 or len(group_texts) == 1),
        reverse=True,
    )
    chosen: list[str] = []
    for _, term in scored:
        # A bigram makes its words redundant and vice versa: keep the first of either.
        if any(term in other or other in term for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == count:
            break
    return tuple(chosen)
