"""Cross-lingual claim matching on the bilingual check set (bench/crosslingual_checkset.toml).

Every translation is placed against all English claims: top-1 is right when its closest English claim is
the one it translates. With a threshold, a translation or distractor "matches" when its closest claim
passes it: precision is the share of matches that are right, recall the share of translations matched
rightly; distractors (same subjects, other claims) may only lower precision.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.narratives.crosslingual import EmbedFunction, centre_by_language

CHECKSET = Path(__file__).resolve().parents[3] / "bench" / "crosslingual_checkset.toml"
LANGUAGES = ("ru", "fa", "ar", "ps")


@dataclass(frozen=True)
class CheckSet:
    """English claims, their translations by language, and distractors by language."""

    english: tuple[str, ...]
    translations: dict[str, tuple[str, ...]]  # language -> one translation per English claim
    distractors: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class CrossFigures:
    """Top-1 accuracy per language, and precision/recall at one threshold over all languages."""

    top1: dict[str, float]
    threshold: float
    precision: float
    recall: float


def load_checkset(path: Path = CHECKSET) -> CheckSet:
    """Read the check set; every pair must carry every language."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs, distractors = data["pairs"], data["distractors"]
    for number, pair in enumerate(pairs, start=1):
        missing = [language for language in ("en", *LANGUAGES) if not pair.get(language)]
        if missing:
            raise ValueError(f"{path}: pair {number} lacks {missing}")
    return CheckSet(
        tuple(pair["en"] for pair in pairs),
        {language: tuple(pair[language] for pair in pairs) for language in LANGUAGES},
        {language: tuple(item[language] for item in distractors if item.get(language)) for language in LANGUAGES},
    )


def similarities(checkset: CheckSet, embed: EmbedFunction, centred: bool = True) -> dict[str, np.ndarray]:
    """Per language: cosine of every translation then every distractor (rows) to every English claim."""
    texts: list[str] = list(checkset.english)
    languages: list[str] = ["en"] * len(texts)
    for language in LANGUAGES:
        items = [*checkset.translations[language], *checkset.distractors[language]]
        texts.extend(items)
        languages.extend([language] * len(items))
    vectors = embed(texts)
    if centred:
        vectors = centre_by_language(vectors, languages)
    english = vectors[: len(checkset.english)]
    names = np.asarray(languages)
    return {language: vectors[names == language] @ english.T for language in LANGUAGES}


def score(checkset: CheckSet, similarity: dict[str, np.ndarray], threshold: float) -> CrossFigures:
    """Top-1 per language and precision/recall at `threshold` (see the module docstring)."""
    count = len(checkset.english)
    top1: dict[str, float] = {}
    matched = right = 0
    for language in LANGUAGES:
        rows = similarity[language]
        best = rows.argmax(axis=1)
        top1[language] = float(np.mean(best[:count] == np.arange(count)))
        passes = rows.max(axis=1) >= threshold
        matched += int(passes.sum())
        right += int((passes[:count] & (best[:count] == np.arange(count))).sum())
    total = count * len(LANGUAGES)
    return CrossFigures(top1, threshold, right / matched if matched else 1.0, right / total)
