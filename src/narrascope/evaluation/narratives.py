"""SemEval-2025 Task 10 subtask 2 (English): data, taxonomy-as-catalogue, samples F1, cached embeddings.

The data folder is `../shared/data/narratives/semeval2025-task10-en` (README there): `train/raw-documents/
<ID>.txt` (title line, blank line, body) and `train/subtask-2-annotations.txt` (TSV: id, narratives,
sub-narratives, `;`-separated). The metric is the task's: per article, F1 between the gold and predicted
label sets; the mean over articles ("samples F1"), coarse (narratives) and fine (sub-narratives).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrascope.narratives.catalogue import Catalogue, CatalogueEntry, EmbedFunction
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
from narrascope.narratives.passages import split_sentences

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
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


class CachedEmbedder:
    """Wraps an embed function with a vector cache on disk (keyed by model id and text hash).

    Benchmarks on a shared 2-core machine re-embed the same sentences on every run; caching them in
    /tmp keeps a re-run to seconds.
    """

    def __init__(self, embed: EmbedFunction, model_id: str, path: Path) -> None:
        self._embed = embed
        self._path = path
        self._prefix = model_id
        self._cache: dict[str, Vectors] = {}
        self._dirty = False
        if path.exists():
            with np.load(path) as stored:
                keys = stored["keys"].tolist()
                vectors = stored["vectors"]
                self._cache = {str(key): vectors[number] for number, key in enumerate(keys)}
            logger.info("loaded %d cached vectors from %s", len(self._cache), path)

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self._prefix}\x00{text}".encode(), usedforsecurity=False).hexdigest()

    def __call__(self, texts: list[str]) -> Vectors:
        """Unit vectors for `texts`, embedding only those not cached yet."""
        keys = [self._key(text) for text in texts]
        missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in self._cache}.items())
        if missing:
            vectors = self._embed([text for _, text in missing])
            for (key, _), vector in zip(missing, vectors, strict=True):
                self._cache[key] = vector
            self._dirty = True
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[key] for key in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache back when it grew."""
        if not self._dirty:
            return
        keys = list(self._cache)
        np.savez(self._path, keys=np.array(keys), vectors=np.stack([self._cache[key] for key in keys]))
        self._dirty = False


# ---------------------------------------------------------------------------------------------------------
# Cross-validation of article labelling approaches (everything learned comes from the training folds only).

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
