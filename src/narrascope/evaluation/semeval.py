"""SemEval-2025 Task 10 subtask 2 (English): data, taxonomy-as-catalogue and the task's samples F1.

The data folder is `../shared/data/narratives/semeval2025-task10-en` (README there): `train/raw-documents/
<ID>.txt` (title line, blank line, body) and `train/subtask-2-annotations.txt` (TSV: id, narratives,
sub-narratives, `;`-separated). The metric is the task's: per article, F1 between the gold and predicted
label sets; the mean over articles ("samples F1"), coarse (narratives) and fine (sub-narratives).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.narratives.catalogue import Catalogue, CatalogueEntry
from narrascope.narratives.passages import split_sentences

OTHER = "Other"
SEMEVAL_DIR = Path(__file__).resolve().parents[4] / "shared" / "data" / "narratives" / "semeval2025-task10-en"
# The data README: one dev sub-label is missing from the October label list (a later taxonomy edit).
_MISSING_LABELS = (
    "CC: Green policies are geopolitical instruments: Climate-related international relations are abusive/exploitative",
)
_DOMAIN_NAMES = {"URW": "the Russia-Ukraine war", "CC": "climate change"}
_MIN_SENTENCE_WORDS = 4  # shorter lines are bylines, captions and menu debris


@dataclass(frozen=True)
class LabelledArticle:
    """One annotated article."""

    id: str
    title: str
    body: str
    coarse: frozenset[str]
    fine: frozenset[str]

    @property
    def domain(self) -> str:
        """URW or CC, from the file name (used only to report figures, never to predict)."""
        return "CC" if "_CC_" in self.id else "URW"

    @property
    def has_narrative(self) -> bool:
        """True when the article carries at least one narrative besides `Other`."""
        return self.coarse != frozenset({OTHER})


@dataclass(frozen=True)
class Taxonomy:
    """The task's narratives and sub-narratives (every label the data uses included)."""

    coarse: tuple[str, ...]
    fine: tuple[str, ...]

    def parent(self, fine_label: str) -> str:
        """`URW: A: b` -> `URW: A`; `Other` stays `Other`."""
        return fine_label if fine_label == OTHER else fine_label.rsplit(": ", 1)[0]


def load_articles(root: Path = SEMEVAL_DIR) -> list[LabelledArticle]:
    """The annotated training articles, in annotation-file order, with duplicate labels removed."""
    articles: list[LabelledArticle] = []
    for line in (root / "train" / "subtask-2-annotations.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, coarse, fine = line.split("\t")
        text = (root / "train" / "raw-documents" / name).read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        articles.append(
            LabelledArticle(name.removesuffix(".txt"), title.strip(), body.strip(), _labels(coarse), _labels(fine))
        )
    return articles


def _labels(field: str) -> frozenset[str]:
    return frozenset(label.strip() for label in field.split(";") if label.strip())


def load_taxonomy(root: Path = SEMEVAL_DIR, articles: Iterable[LabelledArticle] = ()) -> Taxonomy:
    """Label lists from the scorer bundle, plus labels the data uses that the lists miss (data README)."""
    coarse = {line.strip() for line in (root / "subtask2_narratives.txt").read_text(encoding="utf-8").splitlines()}
    fine = {line.strip() for line in (root / "subtask2_subnarratives.txt").read_text(encoding="utf-8").splitlines()}
    fine.update(_MISSING_LABELS)
    for article in articles:
        coarse.update(article.coarse)
        fine.update(article.fine)
    coarse.discard("")
    fine.discard("")
    coarse.update({label.rsplit(": ", 1)[0] for label in fine if label != OTHER})
    return Taxonomy(tuple(sorted(coarse)), tuple(sorted(fine)))


def taxonomy_catalogue(taxonomy: Taxonomy) -> Catalogue:
    """The taxonomy as a catalogue: the data has no descriptions, so label names become descriptions.

    `URW: Discrediting Ukraine: Ukraine is associated with nazism` gets the description
    "Ukraine is associated with nazism (discrediting Ukraine; the Russia-Ukraine war)". Residual
    `<narrative>: Other` sub-labels get no entry: they mean "the narrative, but none of its listed subs".
    """
    entries: list[CatalogueEntry] = []
    for label in taxonomy.coarse:
        if label == OTHER:
            continue
        domain, _, name = label.partition(": ")
        entries.append(CatalogueEntry(label, f"{name} ({_DOMAIN_NAMES.get(domain, domain)})"))
    for label in taxonomy.fine:
        parent, _, name = label.rpartition(": ")
        if label == OTHER or name == OTHER:
            continue
        domain, _, narrative = parent.partition(": ")
        description = f"{name} ({narrative.lower()}; {_DOMAIN_NAMES.get(domain, domain)})"
        entries.append(CatalogueEntry(label, description, parent=parent))
    return Catalogue(tuple(entries), source="semeval2025-task10 taxonomy")


def article_sentences(article: LabelledArticle) -> list[str]:
    """Title then body sentences of at least a few words."""
    sentences = [article.title] if article.title else []
    for paragraph in article.body.splitlines():
        for sentence in split_sentences(" ".join(paragraph.split())):
            if len(sentence.split()) >= _MIN_SENTENCE_WORDS:
                sentences.append(sentence)
    return sentences


def set_f1(gold: frozenset[str], predicted: frozenset[str]) -> float:
    """F1 of two label sets, as sklearn's samples average computes it for one row (both empty: 1)."""
    if not gold and not predicted:
        return 1.0
    overlap = len(gold & predicted)
    return 2.0 * overlap / (len(gold) + len(predicted))


def samples_f1(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]) -> float:
    """Mean per-article F1 between label sets: the task's "samples F1".

    Args:
        gold: gold label set per article.
        predicted: predicted label set per article, same order.

    Returns:
        The mean of the per-article F1 (0.0 for no articles).

    Raises:
        ValueError: the two sequences differ in length.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold label sets but {len(predicted)} predictions")
    if not gold:
        return 0.0
    return float(np.mean([set_f1(g, p) for g, p in zip(gold, predicted, strict=True)]))


def coarse_of(fine_labels: Iterable[str]) -> frozenset[str]:
    """Narratives implied by sub-narratives (`A: b` -> `A`)."""
    return frozenset(label if label == OTHER else label.rsplit(": ", 1)[0] for label in fine_labels)
