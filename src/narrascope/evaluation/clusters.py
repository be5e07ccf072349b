"""ECB+ story clustering: documents, the source-URL strip, B-cubed scores.

Data: `../shared/data/clustering/ecbplus/documents.jsonl.gz` (README there): one JSON object per document
with `doc_id`, `topic`, `subtopic` (the gold event cluster, `<topic>_<ecb|ecbplus>`), `part` and
`sentences`. Every `ecbplus` document opens with its source URL, which gives the gold cluster away, so
leading URL sentences are dropped from every document (the same rule for both parts).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ECBPLUS_FILE = (Path(__file__).resolve().parents[4] / "shared" / "data" / "clustering" / "ecbplus"
                / "documents.jsonl.gz")
# Cybulska & Vossen 2015 split, used by Barhom et al. 2019 (data README).
TEST_TOPICS = frozenset(range(36, 46))
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
# "http: / / www. foxnews. com / ..." after the corpus's tokenisation, or a plain URL.
_URL_LINE = re.compile(r"^\s*(https?\s*:\s*/\s*/|www\s*\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """One ECB+ document with its gold event cluster."""

    id: str
    topic: int
    event: str
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        """Sentences joined by newlines (the first is usually the title in `ecbplus` documents)."""
        return "\n".join(self.sentences)


def strip_source_url(sentences: Sequence[str]) -> tuple[str, ...]:
    """Drop leading sentences that are URLs."""
    start = 0
    while start < len(sentences) and _URL_LINE.match(sentences[start]):
        start += 1
    return tuple(sentences[start:])


def load_documents(path: Path = ECBPLUS_FILE) -> list[Document]:
    """Every document, leading source URLs stripped."""
    documents: list[Document] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            documents.append(Document(record["doc_id"], int(record["topic"]), record["subtopic"],
                                      strip_source_url(record["sentences"])))
    return documents


def split(documents: Sequence[Document], part: str) -> list[Document]:
    """`train` (neither dev nor test topics), `dev`, `test` (topics 36-45) or `train+dev`."""
    if part == "test":
        return [d for d in documents if d.topic in TEST_TOPICS]
    if part == "dev":
        return [d for d in documents if d.topic in DEV_TOPICS]
    if part == "train":
        return [d for d in documents if d.topic not in TEST_TOPICS | DEV_TOPICS]
    if part == "train+dev":
        return [d for d in documents if d.topic not in TEST_TOPICS]
    raise ValueError(f"unknown split {part!r}: use train, dev, test or train+dev")


@dataclass(frozen=True)
class BCubed:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over items."""

    precision: float
    recall: float
    f1: float


def bcubed(predicted: Sequence[Sequence[int]], gold: Sequence[str]) -> BCubed:
    """Score predicted clusters (lists of item indices) against a gold label per item.

    Args:
        predicted: clusters covering every item exactly once.
        gold: the gold cluster label of each item.

    Returns:
        Item-averaged precision and recall, and their harmonic mean.

    Raises:
        ValueError: the clusters do not cover each item exactly once.
    """
    cluster_of: dict[int, int] = {}
    for number, cluster in enumerate(predicted):
        for item in cluster:
            if item in cluster_of:
                raise ValueError(f"item {item} is in two clusters")
            cluster_of[item] = number
    if sorted(cluster_of) != list(range(len(gold))):
        raise ValueError(f"the clusters cover {len(cluster_of)} items, the gold has {len(gold)}")
    if not gold:
        return BCubed(0.0, 0.0, 0.0)
    gold_size: dict[str, int] = {}
    for label in gold:
        gold_size[label] = gold_size.get(label, 0) + 1
    precision = recall = 0.0
    for cluster in predicted:
        counts: dict[str, int] = {}
        for item in cluster:
            counts[gold[item]] = counts.get(gold[item], 0) + 1
        for label, shared in counts.items():
            precision += shared * shared / len(cluster)
            recall += shared * shared / gold_size[label]
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)
