"""ECB+ story clustering: B-cubed P/R/F1 on test topics 36-45 (210 documents clustered together).

Run: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/eval_clusters.py``. Every method's settings are tuned on the
train topics (all topics but dev and test) and then applied once to the test topics, side by side:
a TF-IDF average-link baseline, a BERTopic-style baseline (embed -> PCA -> HDBSCAN; BERTopic and UMAP are
not installed) and narrascope's `cluster_stories`. Lead-sentence vectors are cached in /tmp.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from narrascope.evaluation.clusters import ECBPLUS_FILE, BCubed, Document, bcubed, load_documents, split
from narrascope.evaluation.narratives import CachedEmbedder
from narrascope.narratives import load_embedder
from narrascope.narratives.stories import (
    StorySettings,
    average_link,
    meaning_vectors,
    names_and_numbers,
    tfidf_similarity,
)

logger = logging.getLogger("eval_clusters")
Views = dict[str, np.ndarray]


def views(documents: list[Document], embed: Callable[[list[str]], np.ndarray], lead: int) -> Views:
    """The three similarity views of stories.py, plus lead vectors for the BERTopic-style baseline."""
    texts = [d.text for d in documents]
    vectors = meaning_vectors(texts, embed, lead).astype(np.float64)
    return {"vectors": vectors, "meaning": vectors @ vectors.T, "words": tfidf_similarity(texts),
            "names": tfidf_similarity([names_and_numbers(t) for t in texts], word_pattern=r"\S+", stop_words=None)}


def mix(view: Views, settings: StorySettings) -> np.ndarray:
    """Weighted mean of the views, as stories.mixed_similarity computes it."""
    total = settings.meaning_weight + settings.words_weight + settings.names_weight
    return (settings.meaning_weight * view["meaning"] + settings.words_weight * view["words"]
            + settings.names_weight * view["names"]) / total


def bertopic_style(vectors: np.ndarray, min_cluster_size: int, dimensions: int) -> list[list[int]]:
    """BERTopic's default steps emulated: reduce the embeddings, cluster with HDBSCAN, noise as singletons."""
    from sklearn.cluster import HDBSCAN
    from sklearn.decomposition import PCA

    reduced = PCA(n_components=dimensions, random_state=0).fit_transform(vectors)
    labels = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=1, copy=True).fit_predict(reduced)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(label if label >= 0 else -1 - index, []).append(index)
    return list(groups.values())


def main() -> int:
    """Tune on train topics, report on test topics; prints the table."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if not ECBPLUS_FILE.exists():
        logger.error("%s is absent: the evaluation needs ../shared/data beside the checkout", ECBPLUS_FILE)
        return 2
    documents = load_documents()
    embedder = load_embedder()
    cache = Path(os.environ.get("NARRASCOPE_EMBED_CACHE_ECB", "/tmp/narrascope-embeddings-ecbplus.npz"))
    embed = CachedEmbedder(embedder.embed, embedder.model_id, cache)
    base = StorySettings()
    parts = {name: split(documents, name) for name in ("train", "dev", "test")}
    view = {name: views(docs, embed, base.lead_sentences) for name, docs in parts.items()}
    embed.save()
    gold = {name: [d.event for d in docs] for name, docs in parts.items()}
    thresholds = [round(float(t), 3) for t in np.arange(0.05, 0.80, 0.01)]

    def best(name: str, candidates: Sequence[tuple[str, Callable[..., list[list[int]]]]]) -> tuple[str, BCubed]:
        scored = [(bcubed(run("train"), gold["train"]).f1, label, run) for label, run in candidates]
        _, label, run = max(scored, key=lambda item: item[0])
        logger.info("%s: tuned %s (train F1 %.3f, dev F1 %.3f)", name, label, max(s[0] for s in scored),
                    bcubed(run("dev"), gold["dev"]).f1)
        return label, bcubed(run("test"), gold["test"])

    rows: list[tuple[str, str, BCubed]] = []
    tfidf = [(f"threshold {t}", lambda part, t=t: average_link(view[part]["words"], t)) for t in thresholds]
    rows.append(("TF-IDF average-link", *best("tfidf", tfidf)))
    topic_style = [(f"PCA {d}, min cluster {m}", lambda part, m=m, d=d: bertopic_style(view[part]["vectors"], m, d))
                   for m, d in itertools.product((2, 3, 4, 5, 8), (5, 10, 20))]
    rows.append(("BERTopic-style (PCA + HDBSCAN)", *best("bertopic", topic_style)))
    embedding = [(f"threshold {t}", lambda part, t=t: average_link(view[part]["meaning"], t)) for t in thresholds]
    rows.append(("embeddings average-link (lead)", *best("embedding", embedding)))
    mixes = []
    for meaning, words, names in itertools.product((0.0, 0.2, 0.4, 0.6), (0.0, 0.2, 0.4, 0.6), (0.0, 0.2, 0.4)):
        if meaning + words + names == 0:
            continue
        for t in thresholds[::2]:
            settings = replace(base, threshold=t, meaning_weight=meaning, words_weight=words, names_weight=names)
            mixes.append((f"{settings}", lambda part, s=settings: average_link(mix(view[part], s), s.threshold)))
    rows.append(("narrascope cluster_stories (mixed views)", *best("stories", mixes)))
    lines = [f"ECB+ test topics 36-45: {len(parts['test'])} documents, {len(set(gold['test']))} gold events; "
             f"tuned on {len(parts['train'])} train-topic documents", f"{'method':42s} | B3 P  | B3 R  | B3 F1 | tuned"]
    lines += [f"{name:42s} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {label}" for name, label, s in rows]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
