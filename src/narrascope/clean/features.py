"""Per-line features of a text page for the learned line classifier (`narrascope.clean.learned`).

Each line gets the shape of its own text (length, punctuation, stopwords, capitals, digits,
link-like separators), the rule cleaner's view of it (its score, furniture flags, whether the
rule region holds it), where it sits on the page, how often the page repeats it, and the same
shape averaged over its neighbours: article text comes in runs of long punctuated lines, menus
and sidebars in runs of short capitalised ones. The feature order is part of the model file's
format (`FEATURE_NAMES`); adding a feature means retraining (bench/train_lines.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import numpy.typing as npt

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line
from narrascope.clean.regions import best_region, discount_comments, score_line, ticker_lines

# Function words of the languages the benchmark pages and the seeds are in (English mostly):
# prose has many, menus and headlines few.
_STOPWORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she",
    "they", "we", "you", "i", "his", "her", "their", "our", "your", "my", "not", "no", "have", "has", "had",
    "do", "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "there", "here",
    "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "than", "then", "so", "if", "also",
    "into", "about", "after", "before", "over", "under", "more", "most", "such", "only", "other", "some", "any",
    "all", "each", "very", "just", "while", "because", "through", "le", "la", "les", "de", "des", "du", "et",
    "un", "une", "est", "que", "qui", "der", "die", "das", "und", "ist", "nicht", "mit", "el", "los", "las",
    "en", "por", "para", "con", "del",
})
_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[.,;:!?]")
_SEPARATORS = re.compile(r"[|»›>/•·]")
_DIGIT = re.compile(r"\d")
_URLISH = re.compile(r"https?://|www\.|@\w|\.com\b|\.org\b", re.IGNORECASE)
_DATEISH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|"
    r"jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d+\s+(?:hours?|"
    r"minutes?|days?)\s+ago\b",
    re.IGNORECASE,
)

OWN_FEATURES = (
    "log_words", "log_chars", "is_sentence", "is_bullet", "indent", "sentences", "is_truncated", "gap_before",
    "punct_per_word", "stop_ratio", "capital_ratio", "lower_start", "digit_ratio", "separator_count", "urlish",
    "dateish", "rule_score", "furniture", "end_heading", "byline", "ticker", "repeats", "first_occurrence",
    "position", "word_mass_before", "words_vs_max", "in_rule_region", "rule_region_distance", "ends_colon",
    "mean_word_length", "title_case",
)
_WINDOWED = ("log_words", "is_sentence", "is_bullet", "stop_ratio", "rule_score", "punct_per_word", "capital_ratio")
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_SPANS = (3, 8, 20)
FEATURE_NAMES: tuple[str, ...] = (
    OWN_FEATURES
    + tuple(f"{name}@{offset}" for offset in _OFFSETS for name in _WINDOWED)
    + tuple(f"{name}~{span}" for span in _SPANS for name in _WINDOWED)
)
_COLUMN = {name: position for position, name in enumerate(OWN_FEATURES)}
_WINDOWED_COLUMNS = [_COLUMN[name] for name in _WINDOWED]


def _own(line: Line) -> list[float]:
    """The shape of one line on its own (the page-level columns are filled in by `line_features`)."""
    text = line.text
    words = _WORD.findall(text)
    count = max(len(words), 1)
    stops = sum(1 for word in words if word.casefold() in _STOPWORDS)
    capitals = sum(1 for word in words if word[0].isupper())
    letters = sum(len(word) for word in words)
    return [
        math.log1p(line.words), math.log1p(len(text)), float(line.is_sentence), float(line.is_bullet),
        min(line.indent, 60) / 10.0, float(min(line.sentences, 20)), float(line.is_truncated), float(line.gap_before),
        len(_PUNCT.findall(text)) / count, stops / count, capitals / count, float(text[:1].islower()),
        len(_DIGIT.findall(text)) / max(len(text), 1), float(min(len(_SEPARATORS.findall(text)), 10)),
        float(bool(_URLISH.search(text))), float(bool(_DATEISH.search(text[:200]))),
        0.0, float(boilerplate.is_chrome(line) or boilerplate.is_caption(line) or boilerplate.is_breadcrumb(text)),
        float(boilerplate.is_end_heading(line)), float(boilerplate.is_byline(text)), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, float(text.rstrip().endswith(":")), letters / count / 10.0,
        float(len(words) >= 2 and capitals == len(words)),
    ]


def line_features(lines: list[Line]) -> npt.NDArray[np.float32]:
    """The feature matrix of a page's lines (one row per line, columns as `FEATURE_NAMES`)."""
    total = len(lines)
    if total == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    own = np.array([_own(line) for line in lines], dtype=np.float64)
    tickers = ticker_lines(lines)
    scores = discount_comments(lines, [score_line(line, line.index in tickers) for line in lines])
    own[:, _COLUMN["rule_score"]] = np.clip(np.array(scores) / 20.0, -3.0, 5.0)
    own[:, _COLUMN["ticker"]] = [float(line.index in tickers) for line in lines]
    counts = Counter(line.key for line in lines)
    seen: set[str] = set()
    first: list[float] = []
    for line in lines:
        first.append(float(line.key not in seen))
        seen.add(line.key)
    own[:, _COLUMN["repeats"]] = [math.log(counts[line.key]) for line in lines]
    own[:, _COLUMN["first_occurrence"]] = first
    own[:, _COLUMN["position"]] = np.arange(total) / max(total - 1, 1)
    words = np.array([line.words for line in lines], dtype=np.float64)
    mass = np.cumsum(words) - words
    own[:, _COLUMN["word_mass_before"]] = mass / max(float(words.sum()), 1.0)
    own[:, _COLUMN["words_vs_max"]] = words / max(float(words.max()), 1.0)
    region = best_region(scores)
    if region is not None:
        positions = np.arange(total)
        inside = (positions >= region.start) & (positions < region.end)
        distance = np.where(positions < region.start, region.start - positions, positions - region.end + 1)
        own[:, _COLUMN["in_rule_region"]] = inside
        own[:, _COLUMN["rule_region_distance"]] = np.where(inside, 0.0, -np.log1p(np.maximum(distance, 0)))
    windowed = own[:, _WINDOWED_COLUMNS]
    parts = [own]
    for offset in _OFFSETS:
        shifted = np.zeros_like(windowed) - 1.0
        if offset < 0:
            shifted[-offset:] = windowed[:offset]
        else:
            shifted[:-offset] = windowed[offset:]
        parts.append(shifted)
    cumulative = np.vstack([np.zeros((1, windowed.shape[1])), np.cumsum(windowed, axis=0)])
    for span in _SPANS:
        low = np.clip(np.arange(total) - span, 0, total)
        high = np.clip(np.arange(total) + span + 1, 0, total)
        parts.append((cumulative[high] - cumulative[low]) / (high - low)[:, None])
    return np.hstack(parts).astype(np.float32)
