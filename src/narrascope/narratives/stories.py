"""Story clusters: articles about the same event (one arrest, one earthquake, one rehab stay).

Same-topic events are confusable (ECB+ pairs two rehab stays of different actresses, two earthquakes in
one region years apart), so an article pair is compared on three views and the views are mixed:

- meaning: cosine of the articles' lead embeddings (title + first sentences; news puts the event first,
  the "inverted pyramid"),
- words: cosine of TF-IDF vectors of the whole text (rare shared words are strong event evidence),
- names and numbers: cosine of TF-IDF vectors over capitalised words, years and figures only (who, where,
  when: what tells two same-topic events apart; ECB+'s confusable pairs differ in actors, places, dates).

Average-link clustering then cuts the tree at `threshold` on the mixed similarity. Weights and threshold
default to the values tuned on the ECB+ train topics (bench/eval_clusters.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narrascope.narratives.passages import split_sentences

Vectors = npt.NDArray[np.float32]
EmbedFunction = Callable[[list[str]], Vectors]
FloatMatrix = npt.NDArray[np.float64]

_NAME_OR_NUMBER = re.compile(r"\b(?:[A-Z][a-zA-Z'’.-]+|\d[\d.,:]*)\b")


@dataclass(frozen=True)
class StorySettings:
    """How story clusters are cut; defaults tuned on ECB+ train topics (bench/eval_clusters.py)."""

    threshold: float = 0.37  # mixed similarity at which average-link stops merging
    meaning_weight: float = 0.4
    words_weight: float = 0.2
    names_weight: float = 0.4
    lead_sentences: int = 5  # sentences (after the title) embedded for the meaning view


def lead_sentences(text: str, count: int) -> list[str]:
    """Lines of the text split into sentences, the first `count + 1` (title included)."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(split_sentences(" ".join(line.split())))
        if len(sentences) > count:
            break
    return sentences[:count + 1]


def names_and_numbers(text: str) -> str:
    """Capitalised words and figures of a text, space-joined (a cheap stand-in for named entities).

    Sentence-initial words are kept too: they add a little noise that IDF weighting mostly removes.
    """
    return " ".join(match.lower() for match in _NAME_OR_NUMBER.findall(text))


def meaning_vectors(texts: Sequence[str], embed: EmbedFunction, lead: int) -> Vectors:
    """Normalised mean embedding of each text's lead sentences."""
    pieces = [lead_sentences(text, lead) or [text[:500] or " "] for text in texts]
    flat = [sentence for sentences in pieces for sentence in sentences]
    vectors = embed(flat)
    result = np.zeros((len(texts), vectors.shape[1] if len(vectors) else 384), dtype=np.float32)
    offset = 0
    for number, sentences in enumerate(pieces):
        mean = vectors[offset:offset + len(sentences)].mean(axis=0)
        result[number] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        offset += len(sentences)
    return result


def tfidf_similarity(texts: Sequence[str], *, word_pattern: str = r"(?u)\b\w\w+\b",
                     stop_words: str | None = "english") -> FloatMatrix:
    """Cosine similarity of sublinear TF-IDF vectors, IDF from the texts themselves."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not any(text.strip() for text in texts):
        return np.eye(len(texts))
    vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=word_pattern, stop_words=stop_words,
                                 lowercase=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # every word is a stop word
        return np.eye(len(texts))
    similarity: FloatMatrix = np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)
    return similarity


def mixed_similarity(texts: Sequence[str], embed: EmbedFunction, settings: StorySettings) -> FloatMatrix:
    """The weighted mix of the three views (meaning, words, names and numbers)."""
    total = settings.meaning_weight + settings.words_weight + settings.names_weight
    if total <= 0:
        raise ValueError("story settings: at least one view needs a positive weight")
    similarity = np.zeros((len(texts), len(texts)), dtype=np.float64)
    if settings.meaning_weight:
        vectors = meaning_vectors(texts, embed, settings.lead_sentences).astype(np.float64)
        similarity += settings.meaning_weight * (vectors @ vectors.T)
    if settings.words_weight:
        similarity += settings.words_weight * tfidf_similarity(texts)
    if settings.names_weight:
        similarity += settings.names_weight * tfidf_similarity([names_and_numbers(t) for t in texts],
                                                               word_pattern=r"\S+", stop_words=None)
    mixed: FloatMatrix = similarity / total
    return mixed


def average_link(similarity: FloatMatrix, threshold: float) -> list[list[int]]:
    """Average-linkage clusters whose mean pairwise similarity is at least `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    count = similarity.shape[0]
    if count < 2:
        return [[index] for index in range(count)]
    distance = np.clip(1.0 - similarity, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2.0
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda group: group[0])


def cluster_stories(texts: Sequence[str], embed: EmbedFunction, settings: StorySettings | None = None,
                    ) -> list[list[int]]:
    """Group articles that report the same event.

    Args:
        texts: article texts, title on the first line when there is one.
        embed: texts -> unit vectors.
        settings: weights of the views and the cut; defaults tuned on ECB+ train topics.

    Returns:
        Clusters as lists of indices into `texts`, every text in exactly one, in order of first member.

    Example:
        >>> cluster_stories(["Quake hits Iran ...", "Iran earthquake kills 300 ...", "Oscars host named ..."],
        ...                 embed)  # doctest: +SKIP
        [[0, 1], [2]]
    """
    if not texts:
        return []
    chosen = settings or StorySettings()
    return average_link(mixed_similarity(texts, embed, chosen), chosen.threshold)
