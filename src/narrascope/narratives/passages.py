"""Claims -> passages short enough to compare: the same statement is often one clause of a long quote.

Petrov-style quotes run to 70 words, of which another outlet repeats one clause in other words; a
whole-claim embedding dilutes that clause away, so claims are compared passage by passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_WORD = re.compile(r"\S+")
WINDOW_WORDS = 14  # about one clause of news prose
WINDOW_STRIDE = 7
MIN_PASSAGE_WORDS = 5  # shorter fragments ("he said", "in Afghanistan") match everything


@dataclass(frozen=True)
class Passage:
    """A piece of one claim's text."""

    claim_index: int
    text: str


def split_passages(texts: list[str]) -> list[Passage]:
    """Every claim's whole text, its sentences, and overlapping windows over long sentences."""
    passages: list[Passage] = []
    for index, text in enumerate(texts):
        seen: set[str] = set()
        for piece in _pieces(text):
            key = piece.lower()
            if key not in seen and len(piece.split()) >= min(MIN_PASSAGE_WORDS, len(text.split())):
                seen.add(key)
                passages.append(Passage(index, piece))
    return passages


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph of prose: a stop, then space, then a capital or digit (quotes allowed)."""
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def _pieces(text: str) -> list[str]:
    text = " ".join(text.split())
    pieces = [text]
    sentences = split_sentences(text)
    if len(sentences) > 1:
        pieces.extend(sentences)
    for sentence in sentences:
        words = _WORD.findall(sentence)
        if len(words) > WINDOW_WORDS + WINDOW_STRIDE:
            for start in range(0, len(words) - WINDOW_STRIDE, WINDOW_STRIDE):
                pieces.append(" ".join(words[start:start + WINDOW_WORDS]))
    return pieces
