"""New claims placed into the stored claim clusters and narratives, without re-clustering the corpus.

The rules are the builder's (build.py), applied between each new claim and its nearest stored claims:
a new claim joins the cluster of the closest stored claim one of whose passages says what one of its
passages says (cosine >= `same_statement`, or `same_statement_same_speaker` for the same speaker in two
articles); new claims linked to no stored claim are clustered among themselves by the same rule. A
claim in a clustered narrative's cluster joins that narrative; a new cluster (or a grown one outside any
narrative) joins the narrative whose clusters' mean cosine to it is >= `same_story` (average linkage),
else such clusters are grouped among themselves into new narratives told by `min_articles` articles.

Placement never merges or splits stored groups, where a full run may (one new claim can bridge two
clusters); `narrascope refresh --full` gives what a fresh run gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narrascope.config import NarrativeSettings
from narrascope.models import Article, Claim, ClaimCluster, Narrative
from narrascope.narratives.build import EmbedFunction, _narrative, _stable_id, group_stories, same_statement
from narrascope.narratives.claim_index import ClaimIndex
from narrascope.narratives.labels import representative, short_label
from narrascope.narratives.neighbours import neighbour_pairs
from narrascope.narratives.passages import split_passages
from narrascope.narratives.similarity import DisjointSets

Vectors = npt.NDArray[np.float32]
NEIGHBOURS = 16  # stored passages looked at per new passage


@dataclass(frozen=True)
class StoredLink:
    """Where a stored claim sits: its article, speaker, cluster and narrative."""

    article_id: str
    speaker_id: str | None
    cluster_id: str | None
    narrative_id: str | None


class StoredGroups(Protocol):
    """The reads placement needs from the store, by id."""

    def links_of(self, claim_ids: Sequence[str]) -> dict[str, StoredLink]: ...

    def clusters_by_id(self, cluster_ids: Sequence[str]) -> dict[str, ClaimCluster]: ...

    def narratives_by_id(self, narrative_ids: Sequence[str]) -> dict[str, Narrative]: ...

    def claims_by_id(self, claim_ids: Sequence[str]) -> dict[str, Claim]: ...

    def articles_by_id(self, article_ids: Sequence[str]) -> dict[str, Article]: ...


@dataclass
class Placement:
    """Groups created or grown, each claim whose cluster or narrative is new, and the new index rows."""

    clusters: dict[str, ClaimCluster] = field(default_factory=dict)  # new or grown, whole
    narratives: dict[str, Narrative] = field(default_factory=dict)  # new or grown, whole
    new_cluster_ids: set[str] = field(default_factory=set)
    new_narrative_ids: set[str] = field(default_factory=set)
    cluster_of_claim: dict[str, str] = field(default_factory=dict)
    narrative_of_claim: dict[str, str] = field(default_factory=dict)  # new claims and stored ones that joined one
    index_vectors: Vectors = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    index_claim_ids: list[str] = field(default_factory=list)


def place_claims(
    claims: Sequence[Claim],
    articles: dict[str, Article],
    speaker_of_claim: dict[str, str],
    embed: EmbedFunction,
    settings: NarrativeSettings,
    index: ClaimIndex,
    stored: StoredGroups,
) -> Placement:
    """Place new `claims` (of the new `articles`) into the stored groups; `speaker_of_claim` covers them."""
    placement = Placement()
    if not claims:
        return placement
    passages = split_passages([claim.text for claim in claims])
    vectors = embed([passage.text for passage in passages])
    owner = np.array([passage.claim_index for passage in passages], dtype=np.int64)
    floor = min(settings.same_statement, settings.same_statement_same_speaker)
    similarity, rows = index.search(vectors, NEIGHBOURS)
    story: list[list[tuple[str, float]]] = [[] for _ in claims]  # stored claims within same_story (approximate)
    for passage, (sims, found) in enumerate(zip(similarity.tolist(), rows.tolist(), strict=True)):
        story[owner[passage]] += [(index.claim_id(r), s) for r, s in zip(found, sims, strict=True)
                                  if r >= 0 and s >= settings.same_story]
    near = _exact(story, vectors, owner, embed, stored, floor)
    links = stored.links_of(sorted({claim_id for found in story for claim_id, _ in found}))

    def voice(claim: Claim) -> tuple[str, str | None]:
        return claim.article_id, speaker_of_claim.get(claim.id)

    sets = DisjointSets(len(claims))
    for i, j, cosine in zip(*(part.tolist() for part in neighbour_pairs(vectors, floor, None)), strict=True):
        first, second = int(owner[i]), int(owner[j])
        if first != second and same_statement(settings, cosine, voice(claims[first]), voice(claims[second])):
            sets.union(first, second)
    whole = _whole(vectors, owner, len(claims))
    with_text = sorted(set(owner.tolist()))
    placement.index_vectors, placement.index_claim_ids = whole[with_text], [claims[i].id for i in with_text]
    for group in sets.groups():
        best: tuple[float, str] | None = None
        for member in group:
            for claim_id, cosine in near[member]:
                link = links.get(claim_id)
                if link and link.cluster_id and same_statement(
                        settings, cosine, voice(claims[member]), (link.article_id, link.speaker_id)
                ) and (best is None or cosine > best[0]):
                    best = (cosine, link.cluster_id)
        _cluster(placement, [claims[m] for m in group], whole[group], best[1] if best else None, stored)
    _narratives(placement, claims, articles, speaker_of_claim, embed, settings, stored, story, links)
    return placement


def _exact(story: list[list[tuple[str, float]]], vectors: Vectors, owner: npt.NDArray[np.int64],
           embed: EmbedFunction, stored: StoredGroups, floor: float) -> list[list[tuple[str, float]]]:
    """For each new claim, the candidate stored claims whose closest passage pair is at cosine >= floor.

    The index holds whole texts; a candidate's passages (vectors through the cache) are compared exactly
    with the new claim's, as the builder compares passages.
    """
    wanted = sorted({claim_id for found in story for claim_id, _ in found})
    texts = stored.claims_by_id(wanted)
    wanted = [claim_id for claim_id in wanted if claim_id in texts]
    passages = split_passages([texts[claim_id].text for claim_id in wanted])
    distinct = {text: row for row, text in enumerate(dict.fromkeys(p.text for p in passages))}
    theirs = embed(list(distinct))  # each text once: reported claims repeat word for word across outlets
    rows_of: dict[str, list[int]] = {}
    for passage in passages:
        rows_of.setdefault(wanted[passage.claim_index], []).append(distinct[passage.text])
    mine_of: dict[int, list[int]] = {}
    for row, number in enumerate(owner.tolist()):
        mine_of.setdefault(number, []).append(row)
    near: list[list[tuple[str, float]]] = [[] for _ in story]
    for number, found in enumerate(story):
        mine = vectors[mine_of.get(number, [])]
        for claim_id in sorted({c for c, _ in found if c in rows_of}):
            cosine = float((mine @ theirs[rows_of[claim_id]].T).max())
            if cosine >= floor:
                near[number].append((claim_id, cosine))
    return near


def _whole(vectors: Vectors, owner: npt.NDArray[np.int64], count: int) -> Vectors:
    """Each claim's whole-text vector: its first passage (zeros for a claim without one)."""
    whole = np.zeros((count, vectors.shape[1] if len(vectors) else 384), dtype=np.float32)
    for row in reversed(range(len(owner))):
        whole[owner[row]] = vectors[row]
    return whole


def _cluster(placement: Placement, members: list[Claim], whole: Vectors, cluster_id: str | None,
             stored: StoredGroups) -> None:
    """Add a group of new claims to a stored cluster, or make it a new one."""
    ids = tuple(claim.id for claim in members)
    if cluster_id is None:
        medoid = members[representative(whole)]
        cluster = ClaimCluster(_stable_id("c", ids), short_label(medoid.speaker, medoid.text), ids)
        placement.new_cluster_ids.add(cluster.id)
    else:
        base = placement.clusters.get(cluster_id) or stored.clusters_by_id([cluster_id])[cluster_id]
        cluster = replace(base, claim_ids=base.claim_ids + ids)
    placement.clusters[cluster.id] = cluster
    placement.cluster_of_claim.update({claim_id: cluster.id for claim_id in ids})


def _narratives(placement: Placement, claims: Sequence[Claim], articles: dict[str, Article],
                speaker_of_claim: dict[str, str], embed: EmbedFunction, settings: NarrativeSettings,
                stored: StoredGroups, story: list[list[tuple[str, float]]], links: dict[str, StoredLink]) -> None:
    """Narratives follow the clusters: grown clusters' narratives grow; other clusters join one or start one."""
    # every grown cluster was found through one of these links, so its narrative (or None) is here
    narrative_of_cluster = {link.cluster_id: link.narrative_id for link in links.values() if link.cluster_id}
    index_of = {claim.id: i for i, claim in enumerate(claims)}
    loose: list[str] = []  # clusters outside any narrative: new ones, and grown ones that had none
    for cluster_id, cluster in placement.clusters.items():
        narrative_id = narrative_of_cluster.get(cluster_id)
        if narrative_id:
            _grow(placement, narrative_id, [c for c in cluster.claim_ids if c in index_of], (), claims, index_of,
                  articles, speaker_of_claim, stored)
        else:
            loose.append(cluster_id)
    if not loose:
        return
    everything = _claims_of(placement, loose, claims, stored)
    centroids = np.stack([_centroid(embed, [everything[c] for c in placement.clusters[k].claim_ids]) for k in loose])
    means: dict[str, Vectors] = {}

    def best_narrative(members: list[int]) -> str | None:
        """The stored narrative whose average cosine to these loose clusters is highest and >= same_story."""
        candidates = {links[c].narrative_id for k in members for i in _new_members(placement, loose[k], index_of)
                      for c, cosine in story[i] if c in links and cosine >= settings.same_story}
        together = centroids[members].mean(axis=0)
        best: tuple[float, str] | None = None
        for narrative_id in sorted(n for n in candidates if n):
            if narrative_id not in means:
                means[narrative_id] = _story_mean(embed, narrative_id, stored)
            score = float(together @ means[narrative_id])
            if score >= settings.same_story and (best is None or score > best[0]):
                best = (score, narrative_id)
        return best[1] if best else None

    remaining: list[int] = []
    # Loose clusters are first grouped among themselves (as the builder's average linkage would group them);
    # a group joins the stored narrative it is close to on average, else each of its clusters may on its own.
    for group in group_stories(centroids, settings.same_story):
        target = best_narrative(group)
        for number in group:
            joined = target or best_narrative([number])
            if joined is None:
                remaining.append(number)
                continue
            cluster = placement.clusters[loose[number]]
            _grow(placement, joined, list(cluster.claim_ids), (loose[number],), claims, index_of, articles,
                  speaker_of_claim, stored)
    _new_narratives(placement, [loose[n] for n in remaining], centroids[remaining], everything, articles,
                    speaker_of_claim, embed, settings, stored)


def _new_members(placement: Placement, cluster_id: str, index_of: dict[str, int]) -> list[int]:
    return [index_of[c] for c in placement.clusters[cluster_id].claim_ids if c in index_of]


def _claims_of(placement: Placement, cluster_ids: list[str], claims: Sequence[Claim],
               stored: StoredGroups) -> dict[str, Claim]:
    """Every claim of these clusters, new or stored."""
    known = {claim.id: claim for claim in claims}
    wanted = [c for k in cluster_ids for c in placement.clusters[k].claim_ids if c not in known]
    return known | stored.claims_by_id(wanted)


def _centroid(embed: EmbedFunction, members: Sequence[Claim]) -> Vectors:
    vectors = embed([" ".join(claim.text.split()) for claim in members])
    centroid = vectors.mean(axis=0)
    normalised: Vectors = (centroid / max(float(np.linalg.norm(centroid)), 1e-12)).astype(np.float32)
    return normalised


def _story_mean(embed: EmbedFunction, narrative_id: str, stored: StoredGroups) -> Vectors:
    """The mean of a stored narrative's cluster centroids: a cluster's average cosine to its clusters."""
    narrative = stored.narratives_by_id([narrative_id])[narrative_id]
    clusters = stored.clusters_by_id(list(narrative.cluster_ids))
    members = stored.claims_by_id([c for cluster in clusters.values() for c in cluster.claim_ids])
    centroids = [_centroid(embed, [members[c] for c in cluster.claim_ids if c in members])
                 for cluster in clusters.values() if any(c in members for c in cluster.claim_ids)]
    mean: Vectors = np.mean(centroids, axis=0).astype(np.float32) if centroids else np.zeros(384, dtype=np.float32)
    return mean


def _grow(placement: Placement, narrative_id: str, claim_ids: list[str], cluster_ids: tuple[str, ...],
          claims: Sequence[Claim], index_of: dict[str, int], articles: dict[str, Article],
          speaker_of_claim: dict[str, str], stored: StoredGroups) -> None:
    """Add claims (and whole clusters) to a stored narrative: its articles, speakers, outlets and dates."""
    base = placement.narratives.get(narrative_id) or stored.narratives_by_id([narrative_id])[narrative_id]
    present = set(base.claim_ids)
    added = [c for c in claim_ids if c not in present]
    new_articles = {claims[index_of[c]].article_id for c in added if c in index_of}
    new_articles |= {a.article_id for a in stored.links_of([c for c in added if c not in index_of]).values()}
    article_ids = sorted(set(base.article_ids) | new_articles)
    dates = [d for d in (base.first_seen, base.last_seen, *(articles[a].published for a in new_articles
                                                          if a in articles)) if d]
    outlets = set(base.outlets) | {o for o in (articles[a].outlet for a in new_articles if a in articles) if o}
    speakers = set(base.speaker_ids) | {speaker_of_claim[c] for c in added if c in speaker_of_claim}
    placement.narratives[narrative_id] = replace(
        base, claim_ids=base.claim_ids + tuple(added),
        cluster_ids=base.cluster_ids + tuple(c for c in cluster_ids if c not in base.cluster_ids),
        article_ids=tuple(article_ids), speaker_ids=tuple(sorted(speakers)), outlets=tuple(sorted(outlets)),
        first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None)
    placement.narrative_of_claim.update({c: narrative_id for c in added})


def _new_narratives(placement: Placement, loose: list[str], centroids: Vectors, everything: dict[str, Claim],
                    articles: dict[str, Article], speaker_of_claim: dict[str, str], embed: EmbedFunction,
                    settings: NarrativeSettings, stored: StoredGroups) -> None:
    """Loose clusters grouped among themselves into stories; those told by enough articles are narratives."""
    if not loose:
        return
    members = [everything[c] for k in loose for c in placement.clusters[k].claim_ids]
    known_articles = articles | stored.articles_by_id(sorted({c.article_id for c in members} - set(articles)))
    stored_speakers = {c: link.speaker_id for c, link in stored.links_of(
        [c.id for c in members if c.id not in speaker_of_claim]).items() if link.speaker_id}
    speakers = stored_speakers | speaker_of_claim
    for story in group_stories(centroids, settings.same_story):
        story_claims = [everything[c] for n in story for c in placement.clusters[loose[n]].claim_ids]
        article_ids = sorted({claim.article_id for claim in story_claims})
        if len(article_ids) < settings.min_articles:
            continue
        whole = embed([" ".join(claim.text.split()) for claim in story_claims])
        narrative = _narrative(story_claims, list(range(len(story_claims))), [placement.clusters[loose[n]]
                               for n in story], known_articles, article_ids, speakers, whole,
                               [claim.text for claim in story_claims])
        placement.narratives[narrative.id] = narrative
        placement.new_narrative_ids.add(narrative.id)
        placement.narrative_of_claim.update({c: narrative.id for c in narrative.claim_ids})
