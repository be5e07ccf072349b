"""Score stance on a labelled set: accuracy and per-class precision, recall and F1, with each item's evidence.

The set (bench/data/stance_labels.tsv) holds references and labels only; texts are read from
../shared/data where they are. An EUvsDisinfo item is a case's summary (what the outlet wrote) or its
disproof (the rebuttal) judged as an article against a narrative we describe in our own words.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.errors import NarrascopeError
from narrascope.ingest import page_from_text
from narrascope.models import Article
from narrascope.stance import STANCES, ArticleStance, article_stance
from narrascope.stance.decide import narrative_view

EmbedFunction = Callable[[list[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class StanceItem:
    """One labelled article: where its text is, its narrative and the gold labels."""

    source: str
    ref: str
    field: str
    label: str
    counter_room: bool | None
    narrative: str
    split: str  # dev: the rules were developed on it; test: labelled after they were frozen


def load_stance_set(path: Path) -> list[StanceItem]:
    """Read the labelled set (TSV, '#' comment lines).

    Raises:
        NarrascopeError: the file is missing or a row is malformed, naming the line.
    """
    if not path.is_file():
        raise NarrascopeError(f"{path}: stance set not found")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    items: list[StanceItem] = []
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        if (row.get("label") not in STANCES or row.get("counter_room") not in {"yes", "no", "-"}
                or row.get("split") not in {"dev", "test"}):
            raise NarrascopeError(f"{path}: row {number}: label must be one of {STANCES}, counter_room yes|no|-, "
                                  "split dev|test")
        room = {"yes": True, "no": False}.get(row["counter_room"])
        items.append(StanceItem(row["source"], row["ref"], row["field"], row["label"], room, row["narrative"],
                                row["split"]))
    return items


@functools.cache
def _rows(csv_path: Path) -> tuple[dict[str, str], ...]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def euvsdisinfo_text(csv_path: Path, row: int, field: str) -> str:
    """The text of one column of one data row of the EUvsDisinfo scrape."""
    rows = _rows(csv_path)
    if not 0 <= row < len(rows) or field not in rows[row]:
        raise NarrascopeError(f"{csv_path}: no data row {row} with a {field!r} column")
    return rows[row][field]


def judge_text(text: str, narrative: str, embed: EmbedFunction, nlp: Language, name: str = "item") -> ArticleStance:
    """The stance of a text, read as an article body, toward a narrative given as one sentence."""
    page = page_from_text(name, text)
    article = Article(page.id, name, None, None, None, None, None, "en", text, text)
    claims = extract_claims(article, nlp)
    view = narrative_view("narrative", [narrative], embed, nlp)
    return article_stance(article, claims, {claim.id for claim in claims}, view, embed, nlp)


def stance_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1 and their macro mean."""
    pairs = list(zip(gold, predicted, strict=True))
    per_class: dict[str, dict[str, float]] = {}
    for label in STANCES:
        hits = sum(1 for g, p in pairs if g == p == label)
        said = sum(1 for _, p in pairs if p == label)
        true = sum(1 for g, _ in pairs if g == label)
        precision = hits / said if said else 0.0
        recall = hits / true if true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                            "support": true}
    return {
        "items": len(pairs),
        "accuracy": round(sum(1 for g, p in pairs if g == p) / len(pairs), 3) if pairs else 0.0,
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(per_class), 3),
        "per_class": per_class,
    }


def judge_items(
    items: Sequence[StanceItem], csv_path: Path, embed: EmbedFunction, nlp: Language
) -> list[tuple[StanceItem, ArticleStance]]:
    """Judge every EUvsDisinfo item of the set (seed items need the pipeline and are left to the caller)."""
    return [
        (item, judge_text(euvsdisinfo_text(csv_path, int(item.ref), item.field), item.narrative, embed, nlp,
                          f"euvsdisinfo:{item.ref}:{item.field}"))
        for item in items if item.source == "euvsdisinfo"
    ]
