"""Cross-validation of article labelling approaches on SemEval-2025 Task 10 (everything learned comes from
the training folds only). Data, taxonomy and metric: `narrascope.evaluation.semeval`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narrascope.evaluation.embedding_cache import CachedEmbedder
from narrascope.evaluation.semeval import (
    OTHER,
    SEMEVAL_DIR,
    LabelledArticle,
    Taxonomy,
    article_sentences,
    coarse_of,
    load_articles,
    load_taxonomy,
    samples_f1,
    set_f1,
    taxonomy_catalogue,
)
from narrascope.narratives.catalogue import Catalogue, EmbedFunction
from narrascope.narratives.catalogue_learning import (
    FloatArray,
    LabelScores,
    LabelSpace,
    decode,
    knn_scores,
    logistic_scores,
    probe_similarity,
    tune_thresholds,
)

__all__ = [
    "OTHER", "SEMEVAL_DIR", "CachedEmbedder", "Corpus", "Figures", "LabelledArticle", "Scorer", "Taxonomy",
    "article_sentences", "average_scorer", "build_corpus", "catalogue_scorer", "coarse_of", "cross_validate",
    "figures", "knn_scorer", "load_articles", "load_taxonomy", "logistic_scorer", "samples_f1", "set_f1",
    "taxonomy_catalogue", "tfidf_scorer",
]

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

Scorer = Callable[[npt.NDArray[np.int64], npt.NDArray[np.int64]], LabelScores]


@dataclass(frozen=True)
class Corpus:
    """Articles with their sentence vectors, label matrices and the label space."""

    articles: list[LabelledArticle]
    sentence_vectors: list[Vectors]
    article_vectors: Vectors
    space: LabelSpace
    coarse_targets: npt.NDArray[np.int_]
    fine_targets: npt.NDArray[np.int_]
    narrative_targets: npt.NDArray[np.int_]

    @property
    def gold(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        """(coarse, fine) gold sets per article."""
        return [(article.coarse, article.fine) for article in self.articles]


@dataclass(frozen=True)
class Figures:
    """Samples F1 of one approach at one operating point."""

    approach: str
    coarse: float
    fine: float
    coarse_bearing: float
    fine_bearing: float


def build_corpus(articles: list[LabelledArticle], taxonomy: Taxonomy, embed: EmbedFunction) -> Corpus:
    """Embed every article's sentences; the article vector is their normalised mean."""
    sentence_vectors = [embed(article_sentences(article)) for article in articles]
    means = np.stack([vectors.mean(axis=0) for vectors in sentence_vectors])
    article_vectors = (means / np.clip(np.linalg.norm(means, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)
    space = LabelSpace(
        tuple(label for label in taxonomy.coarse if label != OTHER),
        tuple(label for label in taxonomy.fine if label != OTHER and not label.endswith(f": {OTHER}")),
    )
    coarse = np.array([[label in a.coarse for label in space.coarse] for a in articles], dtype=np.int_)
    fine = np.array([[label in a.fine for label in space.fine] for a in articles], dtype=np.int_)
    narrative = np.array([[a.has_narrative] for a in articles], dtype=np.int_)
    return Corpus(articles, sentence_vectors, article_vectors, space, coarse, fine, narrative)


def catalogue_scorer(
    corpus: Corpus,
    catalogue: Catalogue,
    embed: EmbedFunction,
    examples_per_article: int = 0,
) -> Scorer:
    """Similarity to catalogue probes; with `examples_per_article`, training sentences become examples.

    The second form learns per-label prototypes: from each training article carrying a label, the
    sentences closest to the label's own probes join the label as examples (nothing from test articles).
    """
    space = corpus.space
    labels = list(space.coarse) + list(space.fine)
    base_probes: list[tuple[int, str]] = []
    for number, label in enumerate(labels):
        for name in [label, *(child for child in space.fine if space.parent(child) == label)]:
            if name in {entry.name for entry in catalogue.entries}:
                base_probes.extend((number, text) for _, text in catalogue.entry(name).probes())
    base_vectors = embed([text for _, text in base_probes])
    base_owner = [owner for owner, _ in base_probes]
    targets = np.hstack([corpus.coarse_targets, corpus.fine_targets])

    def score(train: npt.NDArray[np.int64], test: npt.NDArray[np.int64]) -> LabelScores:
        vectors, owner = base_vectors, list(base_owner)
        if examples_per_article:
            extra_vectors: list[Vectors] = []
            for article in train.tolist():
                sentences = corpus.sentence_vectors[article]
                for label in np.nonzero(targets[article])[0].tolist():
                    own = base_vectors[[i for i, o in enumerate(base_owner) if o == label]]
                    if not len(own):
                        continue
                    closeness = (sentences @ own.T).max(axis=1)
                    for best in np.argsort(-closeness)[:examples_per_article].tolist():
                        extra_vectors.append(sentences[best][None, :])
                        owner.append(label)
            if extra_vectors:
                vectors = np.vstack([base_vectors, *extra_vectors])
        similarity = probe_similarity([corpus.sentence_vectors[i] for i in test.tolist()], vectors, owner, len(labels))
        coarse = similarity[:, : len(space.coarse)]
        return LabelScores(coarse.max(axis=1), coarse, similarity[:, len(space.coarse) :])

    return score


def logistic_scorer(corpus: Corpus, strength: float = 3.0, extra: FloatArray | None = None) -> Scorer:
    """One-vs-rest logistic regression on article vectors (optionally with extra feature columns)."""
    features: npt.NDArray[np.floating] = corpus.article_vectors
    if extra is not None:
        standard = (extra - extra.mean(axis=0)) / np.clip(extra.std(axis=0), 1e-9, None)
        features = np.hstack([corpus.article_vectors * 5.0, standard * 0.3])  # comparable column scales

    def score(train: npt.NDArray[np.int64], test: npt.NDArray[np.int64]) -> LabelScores:
        def fit(targets: npt.NDArray[np.int_]) -> FloatArray:
            return logistic_scores(features[train], targets[train], features[test], strength)

        return LabelScores(fit(corpus.narrative_targets)[:, 0], fit(corpus.coarse_targets), fit(corpus.fine_targets))

    return score


def knn_scorer(corpus: Corpus, neighbours: int = 10) -> Scorer:
    """Weighted vote of the nearest training articles."""

    def score(train: npt.NDArray[np.int64], test: npt.NDArray[np.int64]) -> LabelScores:
        def vote(targets: npt.NDArray[np.int_]) -> FloatArray:
            return knn_scores(corpus.article_vectors[train], targets[train], corpus.article_vectors[test], neighbours)

        return LabelScores(vote(corpus.narrative_targets)[:, 0], vote(corpus.coarse_targets), vote(corpus.fine_targets))

    return score


def tfidf_scorer(corpus: Corpus, strength: float = 10.0) -> Scorer:
    """Logistic regression on TF-IDF words and bigrams of title + body (vocabulary from training folds)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{article.title}\n{article.body}" for article in corpus.articles]

    def score(train: npt.NDArray[np.int64], test: npt.NDArray[np.int64]) -> LabelScores:
        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), stop_words="english")
        train_matrix = vectorizer.fit_transform([texts[i] for i in train.tolist()])
        test_matrix = vectorizer.transform([texts[i] for i in test.tolist()])

        def fit(targets: npt.NDArray[np.int_]) -> FloatArray:
            return logistic_scores(train_matrix, targets[train], test_matrix, strength)

        return LabelScores(fit(corpus.narrative_targets)[:, 0], fit(corpus.coarse_targets), fit(corpus.fine_targets))

    return score


def average_scorer(*scorers: Scorer) -> Scorer:
    """Mean of several scorers' scores (they must share a scale, e.g. probabilities)."""

    def score(train: npt.NDArray[np.int64], test: npt.NDArray[np.int64]) -> LabelScores:
        parts = [scorer(train, test) for scorer in scorers]
        return LabelScores(
            np.mean([p.narrative for p in parts], axis=0),
            np.mean([p.coarse for p in parts], axis=0),
            np.mean([p.fine for p in parts], axis=0),
        )

    return score


def _folds(count: int, folds: int, seed: int) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    from sklearn.model_selection import KFold

    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)) for a, b in splitter.split(np.arange(count))]


def cross_validate(
    corpus: Corpus, scorer: Scorer, folds: int = 5, inner_folds: int = 4, seed: int = 0, is_learned: bool = True
) -> dict[str, list[tuple[frozenset[str], frozenset[str]]]]:
    """Predictions for every article from models and thresholds that never saw it.

    Thresholds are tuned on out-of-fold scores of the training folds (inner cross-validation) when the
    scorer learns from data; a scorer that learns nothing is scored on the training folds directly.

    Returns:
        {"gated": predictions with the `Other` gate tuned, "always": predictions that never answer `Other`}.
    """
    count = len(corpus.articles)
    gold = corpus.gold
    result: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {
        "gated": [(frozenset(), frozenset())] * count,
        "always": [(frozenset(), frozenset())] * count,
    }
    for train, test in _folds(count, folds, seed):
        if is_learned:
            parts: list[tuple[npt.NDArray[np.int64], LabelScores]] = []
            for inner_train, inner_test in _folds(len(train), inner_folds, seed + 1):
                parts.append((inner_test, scorer(train[inner_train], train[inner_test])))
            order = np.concatenate([rows for rows, _ in parts])
            inverse = np.argsort(order)
            train_scores = LabelScores(
                *(np.concatenate([getattr(s, f) for _, s in parts])[inverse] for f in ("narrative", "coarse", "fine"))
            )
        else:
            train_scores = scorer(train, train)
        test_scores = scorer(train, test)
        train_gold = [gold[i] for i in train.tolist()]
        for key, gate in (("gated", True), ("always", False)):
            thresholds = tune_thresholds(train_scores, corpus.space, train_gold, gate=gate)
            for row, prediction in zip(test.tolist(), decode(test_scores, corpus.space, thresholds), strict=True):
                result[key][row] = prediction
        logger.debug("fold done: %d train, %d test", len(train), len(test))
    return result


def figures(approach: str, corpus: Corpus, predicted: Sequence[tuple[frozenset[str], frozenset[str]]]) -> Figures:
    """Samples F1 coarse and fine, on all articles and on narrative-bearing ones."""
    gold = corpus.gold
    bearing = [i for i, article in enumerate(corpus.articles) if article.has_narrative]
    return Figures(
        approach,
        samples_f1([g[0] for g in gold], [p[0] for p in predicted]),
        samples_f1([g[1] for g in gold], [p[1] for p in predicted]),
        samples_f1([gold[i][0] for i in bearing], [predicted[i][0] for i in bearing]),
        samples_f1([gold[i][1] for i in bearing], [predicted[i][1] for i in bearing]),
    )
