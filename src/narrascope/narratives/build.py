"""Claims -> claim clusters (the same statement again) -> narratives (one story, many voices)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narrascope.config import NarrativeSettings
from narrascope.models import Article, Claim, ClaimCluster, Narrative
from narrascope.narratives.counter import counter_reason
from narrascope.narratives.labels import key_terms, representative, short_label
from narrascope.narratives.passages import split_passages
from narrascope.narratives.similarity import DisjointSets, average_link_groups, close_pairs

Vectors = npt.NDArray[np.float32]
EmbedFunction = Callable[[list[str]], Vectors]


@dataclass(frozen=True)
class NarrativeMap:
    """Claim clusters and narratives, with each claim's membership."""

    clusters: tuple[ClaimCluster, ...]
    narratives: tuple[Narrative, ...]
    cluster_of_claim: dict[str, str]
    narrative_of_claim: dict[str, str]


def _stable_id(prefix: str, members: Sequence[str]) -> str:
    return prefix + hashlib.sha256("|".join(sorted(members)).encode()).hexdigest()[:12]


def cluster_claims(
    claims: Sequence[Claim], speaker_of_claim: dict[str, str], embed: EmbedFunction, settings: NarrativeSettings
) -> tuple[list[list[int]], Vectors]:
    """Group claims that make the same statement; returns the groups and each claim's whole-text vector.

    Two claims are linked when one of their passages says what a passage of the other says
    (cosine >= `same_statement`), or nearly so when two articles credit them to the same speaker.
    """
    passages = split_passages([claim.text for claim in claims])
    vectors = embed([passage.text for passage in passages])
    whole = np.zeros((len(claims), vectors.shape[1] if len(vectors) else 384), dtype=np.float32)
    for index, passage in reversed(list(enumerate(passages))):
        whole[passage.claim_index] = vectors[index]  # the first passage of a claim is its whole text
    sets = DisjointSets(len(claims))
    floor = min(settings.same_statement, settings.same_statement_same_speaker)
    for i, j, similarity in close_pairs(vectors, floor):
        first, second = passages[i].claim_index, passages[j].claim_index
        if first == second:
            continue
        if same_statement(settings, similarity, (claims[first].article_id, speaker_of_claim.get(claims[first].id)),
                          (claims[second].article_id, speaker_of_claim.get(claims[second].id))):
            sets.union(first, second)
    return sets.groups(), whole


def same_statement(settings: NarrativeSettings, cosine: float, one: tuple[str, str | None],
                   other: tuple[str, str | None]) -> bool:
    """Whether two passages, each given as (article id, speaker id), make the same statement.

    The looser bar applies to one speaker reported by two articles; within one article a speaker's
    different sentences are different statements.
    """
    reported_again = one[1] is not None and one[1] == other[1] and one[0] != other[0]
    return cosine >= settings.same_statement or (reported_again and cosine >= settings.same_statement_same_speaker)


def group_stories(cluster_vectors: Vectors, threshold: float) -> list[list[int]]:
    """Average-linkage groups of clusters whose mean cosine similarity is at least `threshold`."""
    return average_link_groups(cluster_vectors, threshold)


def build_narratives(
    claims: Sequence[Claim],
    articles: dict[str, Article],
    speaker_of_claim: dict[str, str],
    embed: EmbedFunction,
    settings: NarrativeSettings,
) -> NarrativeMap:
    """Cluster claims into statements and statements into narratives.

    Args:
        claims: every claim of the corpus.
        articles: article by id (for outlets and dates).
        speaker_of_claim: claim id -> speaker id from the speakers stage.
        embed: texts -> unit vectors (the pipeline passes a cached embedder).
        settings: thresholds.

    Returns:
        A NarrativeMap; narratives are told by at least `settings.min_articles` articles.
    """
    if not claims:
        return NarrativeMap((), (), {}, {})
    groups, whole = cluster_claims(claims, speaker_of_claim, embed, settings)
    clusters: list[ClaimCluster] = []
    cluster_vectors = np.zeros((len(groups), whole.shape[1]), dtype=np.float32)
    for number, group in enumerate(groups):
        medoid = group[representative(whole[group])]
        claim_ids = tuple(claims[i].id for i in group)
        clusters.append(ClaimCluster(_stable_id("c", claim_ids), short_label(claims[medoid].speaker,
                                                                             claims[medoid].text), claim_ids))
        centroid = whole[group].mean(axis=0)
        cluster_vectors[number] = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    cluster_of_claim = {claim_id: cluster.id for cluster in clusters for claim_id in cluster.claim_ids}
    all_texts = [claim.text for claim in claims]
    index_of_claim = {claim.id: index for index, claim in enumerate(claims)}
    narratives: list[Narrative] = []
    for story in group_stories(cluster_vectors, settings.same_story):
        members = [index_of_claim[cid] for number in story for cid in clusters[number].claim_ids]
        article_ids = sorted({claims[i].article_id for i in members})
        if len(article_ids) < settings.min_articles:
            continue
        narratives.append(_narrative(claims, members, [clusters[n] for n in story], articles, article_ids,
                                     speaker_of_claim, whole, all_texts))
    narrative_of_claim = {claim_id: n.id for n in narratives for claim_id in n.claim_ids}
    return NarrativeMap(tuple(clusters), tuple(narratives), cluster_of_claim, narrative_of_claim)


def _narrative(
    claims: Sequence[Claim],
    members: list[int],
    clusters: list[ClaimCluster],
    articles: dict[str, Article],
    article_ids: list[str],
    speaker_of_claim: dict[str, str],
    whole: Vectors,
    all_texts: list[str],
) -> Narrative:
    medoid = _representative_claim(claims, members, clusters, whole)
    dates = sorted(d for d in (articles[a].published if a in articles else None for a in article_ids) if d)
    outlets = sorted({o for o in (articles[a].outlet if a in articles else None for a in article_ids) if o})
    claim_ids = tuple(claims[i].id for i in members)
    speaker_ids = tuple(sorted({speaker_of_claim[c] for c in claim_ids if c in speaker_of_claim}))
    return Narrative(
        id=_stable_id("n", claim_ids),
        label=short_label(claims[medoid].speaker, claims[medoid].text),
        key_terms=key_terms([claims[i].text for i in members], all_texts),
        claim_ids=claim_ids,
        cluster_ids=tuple(cluster.id for cluster in clusters),
        article_ids=tuple(article_ids),
        speaker_ids=speaker_ids,
        outlets=tuple(outlets),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        representative_claim_id=claims[medoid].id,
    )


def _representative_claim(
    claims: Sequence[Claim], members: list[int], clusters: list[ClaimCluster], whole: Vectors
) -> int:
    """The claim that best stands for a narrative: the statement repeated by most articles.

    Among the claims of the clusters reported by the most articles (denials left out), the one closest
    on average to all the narrative's claims; a statement many outlets repeat reads as the story,
    where the plain medoid tends to be a generic sentence.
    """
    index_of = {claims[i].id: i for i in members}
    reach = {cluster.id: len({claims[index_of[c]].article_id for c in cluster.claim_ids}) for cluster in clusters}
    widest = max(reach.values())
    candidates = [index_of[c] for cluster in clusters if reach[cluster.id] == widest for c in cluster.claim_ids
                  if counter_reason(claims[index_of[c]]) is None] or members
    centroid = whole[members].mean(axis=0)
    return max(candidates, key=lambda i: float(whole[i] @ centroid))
