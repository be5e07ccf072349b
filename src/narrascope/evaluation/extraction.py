"""Article-extraction metrics: the Scrapinghub benchmark's shingle F1, bag-of-words F1, metadata match.

The Scrapinghub metric (article-extraction-benchmark, evaluate.py, described in
../shared/data/README.md): tokens are lower-cased `\\w+` matches; per page, the multiset
overlap of word 4-gram shingles between prediction and gold gives TP/FP/FN, normalised to sum
to 1; precision and recall are averaged over pages and F1 is the harmonic mean of the two
averages. WCXB's bag-of-words F1 is the same with single words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PageCounts:
    """Normalised TP/FP/FN of one page (they sum to 1 unless both sides are empty)."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    """Macro precision and recall over pages, and the F1 of those two averages."""

    precision: float
    recall: float
    f1: float
    pages: int


def tokens(text: str) -> list[str]:
    """Lower-cased `\\w+` tokens."""
    return _TOKEN.findall(text.lower())


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams; a text shorter than `size` words is one shingle of all its words."""
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)) if words[i : i + size])


def page_counts(prediction: str, gold: str, size: int = 4) -> PageCounts:
    """TP/FP/FN of one page on `size`-word shingles, normalised to sum 1."""
    predicted = shingles(prediction, size)
    expected = shingles(gold, size)
    tp = float(sum((predicted & expected).values()))
    fp = float(sum((predicted - expected).values()))
    fn = float(sum((expected - predicted).values()))
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def score_pages(pairs: Iterable[tuple[str, str]], size: int = 4) -> Scores:
    """Macro P/R over (prediction, gold) pairs and the F1 of the averages.

    As upstream: a page counts towards precision when it has predicted or matched shingles
    (TP+FP > 0) and towards recall when it has gold shingles (TP+FN > 0); a page with no FP and
    no FN scores 1 on both.

    Example:
        >>> round(score_pages([("a b c d e", "a b c d e")]).f1, 3)
        1.0
    """
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for prediction, gold in pairs:
        pages += 1
        counts = page_counts(prediction, gold, size)
        tp, fp, fn = counts.tp, counts.fp, counts.fn
        perfect = fp == 0 and fn == 0
        if tp + fp > 0:
            precisions.append(1.0 if perfect else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if perfect else tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, pages)


def fold_field(value: str | None) -> str:
    """A metadata value lower-cased with punctuation and spacing folded (how exact match compares)."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value).casefold()
    return " ".join(_TOKEN.findall(text))


def same_field(predicted: str | None, gold: str | None, *, is_date: bool = False) -> bool:
    """Exact match after folding; dates compare on their YYYY-MM-DD prefix."""
    if is_date:
        return bool(predicted) and bool(gold) and str(predicted)[:10] == str(gold)[:10]
    return bool(fold_field(gold)) and fold_field(predicted) == fold_field(gold)


@dataclass(frozen=True)
class FieldScore:
    """Exact matches of one metadata field over the pages whose gold has a value."""

    name: str
    matched: int
    with_gold: int
    found: int
    pages: int

    @property
    def rate(self) -> float:
        """Share of gold-bearing pages matched exactly."""
        return self.matched / self.with_gold if self.with_gold else 0.0


def score_field(name: str, pairs: Iterable[tuple[str | None, str | None]], *, is_date: bool = False) -> FieldScore:
    """Exact-match counts of (predicted, gold) values of one field."""
    matched = with_gold = found = pages = 0
    for predicted, gold in pairs:
        pages += 1
        found += bool(predicted)
        if gold:
            with_gold += 1
            matched += same_field(predicted, gold, is_date=is_date)
    return FieldScore(name, matched, with_gold, found, pages)
