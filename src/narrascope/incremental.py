"""The incremental refresh: new articles placed into the stored derived tables instead of recomputing them.

`pipeline.refresh_derived` tries it first. It applies when the last refresh recorded a marker (a full
refresh over more than `narratives.incremental_above` claims, or an incremental one), the settings,
alias file and speaker corrections are those of that refresh, nothing it covered was removed, and only
new articles arrived; otherwise the full refresh runs. New claims' speakers, clusters and narratives are
placed by the stages' own rules (speakers/incremental.py, narratives/incremental.py) against a
nearest-neighbour index kept next to the database; near-duplicates of new articles are found through
stored MinHash bands. What it leaves to the next full refresh: merges and splits of stored groups,
new canonical names, labels and key terms of grown narratives, stance of new articles, passages a new
article shares with an article that is not its near-duplicate, and other languages' sentences.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np

from narrascope.config import Settings
from narrascope.models import Article, Claim, GroupChange
from narrascope.narratives.build import EmbedFunction
from narrascope.narratives.claim_index import ClaimIndex, index_path
from narrascope.narratives.history import Grouping
from narrascope.narratives.incremental import Placement, place_claims
from narrascope.reuse.incremental import matches, sign
from narrascope.reuse.passages import shared_passages
from narrascope.speakers.incremental import place_speakers
from narrascope.speakers.overrides import apply_alias_names, load_alias_file
from narrascope.store import Store
from narrascope.store.incremental import IncrementalWrite
from narrascope.timeline.context import contexts_or_none

logger = logging.getLogger(__name__)

Timings = dict[str, dict[str, float]]
INDEX_BUILD_CHUNK = 20_000  # claims embedded (through the cache) per step of an index build


@contextmanager
def _step(timings: Timings | None, name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    if timings is not None:
        timings[name] = {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(time.process_time() - cpu, 2)}


def record_base(store: Store, articles: Sequence[Article], fingerprint: str, digest: str, claims: int) -> None:
    """After a full refresh: what the next incremental refresh starts from (signatures and a marker)."""
    store.record_incremental_base(sign(articles), {"fingerprint": fingerprint, "settings": digest,
                                                   "articles": len(articles), "claims": claims})


def refresh_incremental(store: Store, settings: Settings, digest: str, embed: Callable[[], EmbedFunction],
                        timings: Timings | None = None) -> bool | None:
    """Place new articles into the derived tables; False if there were none, None if it does not apply."""
    marker = store.incremental_marker()
    if (marker is None or marker.get("settings") != digest or marker.get("fingerprint") != store.derived_state()
            or int(marker.get("claims", 0)) <= settings.narratives.incremental_above
            or store.covered_counts() != (marker.get("articles"), marker.get("claims"))):
        return None
    with _step(timings, "read_new"):
        articles = store.uncovered_articles()
        if not articles:
            return False
        claims = store.claims_of_articles([article.id for article in articles])
    embed_function = embed()
    with _step(timings, "speakers"):
        named: Sequence[Claim] = claims
        if settings.speakers.alias_file:
            named = apply_alias_names(claims, load_alias_file(settings.speakers.alias_file))
        speakers = place_speakers(named, store.speakers(), {a.id: a.published for a in articles})
    path = index_path(store.path)
    with _step(timings, "index_load"):
        index = ClaimIndex.load(path, str(marker["fingerprint"])) if path else None
    if index is None:
        with _step(timings, "index_build"):
            index = build_index(store, embed_function)
    with _step(timings, "placement"):
        by_id = {article.id: article for article in articles}
        placement = place_claims(claims, by_id, speakers.speaker_of_claim, embed_function, settings.narratives,
                                 index, store)
    with _step(timings, "contexts_duplicates"):
        change = _change(store, articles, claims, speakers.changed, speakers.new_ids, speakers.speaker_of_claim,
                         placement, marker)
    with _step(timings, "write"):
        written = store.write_incremental(change, datetime.now(UTC).isoformat(timespec="seconds"),
                                          str(marker["fingerprint"]))
    if not written:  # another process refreshed meanwhile: what it did not place is placed now
        return refresh_incremental(store, settings, digest, embed, timings)
    with _step(timings, "index_extend_save"):
        index.add(placement.index_vectors, placement.index_claim_ids)
        if path:
            index.save(path, change.fingerprint)
    logger.info("incremental refresh: %d articles, %d claims placed", len(articles), len(claims))
    return True


def build_index(store: Store, embed: EmbedFunction) -> ClaimIndex:
    """The index over every covered claim's whole text (vectors through the store's cache)."""
    vectors: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    claim_ids: list[str] = []
    batch: list[tuple[str, str]] = []

    def flush() -> None:
        # a claim's first passage is its whole text, spaces normalised: the vector the builder caches
        vectors.append(embed([" ".join(text.split()) for _, text in batch]))
        claim_ids.extend(claim_id for claim_id, _ in batch)
        batch.clear()

    for row in store.covered_claim_texts():
        batch.append(row)
        if len(batch) >= INDEX_BUILD_CHUNK:
            flush()
    flush()
    return ClaimIndex.build_from_chunks(vectors, claim_ids)


def _change(store: Store, articles: list[Article], claims: list[Claim], speakers: Any, new_speaker_ids: frozenset[str],
            speaker_of_claim: dict[str, str], placement: Placement, marker: dict[str, Any]) -> IncrementalWrite:
    """The rows to write: links, contexts, near-duplicates, shared passages, history, the new marker."""
    new_claim_ids = {claim.id for claim in claims}
    links = {claim.id: (speaker_of_claim.get(claim.id), placement.cluster_of_claim.get(claim.id),
                        placement.narrative_of_claim.get(claim.id)) for claim in claims}
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    contexts = [context for article in articles if article.id in by_article
                for context in contexts_or_none(article, by_article[article.id]).values()]
    signed = sign(articles)
    pairs = matches(signed, store.band_members)
    duplicates = _duplicate_groups(store, articles, pairs)
    known = {article.id: article for article in articles}
    known |= store.articles_by_id(sorted({other for _, other, _ in pairs} - set(known)))
    # Shared passages between each new article and its near-duplicates (syndicated copies); passages it
    # shares with other articles wait for a full refresh (all pairs of postings: the corpus's tokens).
    reuse = [p for first, other in sorted({tuple(sorted((a, b))) for a, b, _ in pairs})
             for p in shared_passages([known[first], known[other]])]
    history = _grew("cluster", placement.clusters, placement.new_cluster_ids, new_claim_ids)
    history += _grew("narrative", placement.narratives, placement.new_narrative_ids,
                     new_claim_ids | set(placement.narrative_of_claim))
    digest = hashlib.sha256(str(marker["fingerprint"]).encode())
    for item in [*(a.id for a in articles), *sorted(new_claim_ids)]:
        digest.update(item.encode())
    fingerprint = "incremental:" + digest.hexdigest()
    return IncrementalWrite(
        speakers, new_speaker_ids, list(placement.clusters.values()), placement.new_cluster_ids,
        list(placement.narratives.values()), placement.new_narrative_ids, links,
        {c: n for c, n in placement.narrative_of_claim.items() if c not in new_claim_ids}, contexts, signed,
        duplicates, reuse, history, fingerprint,
        marker | {"fingerprint": fingerprint, "articles": int(marker["articles"]) + len(articles),
                  "claims": int(marker["claims"]) + len(claims)})


def _grew(level: str, groups: Mapping[str, Grouping], new: set[str], added: set[str]) -> list[GroupChange]:
    """A history row for each stored group that gained claims (new groups need none: their ids are new)."""
    rows = []
    for group_id, group in sorted(groups.items()):
        count = sum(1 for claim_id in group.claim_ids if claim_id in added)
        if group_id not in new and count:
            rows.append(GroupChange(level, "grew", (group_id,), (group_id,), count))
    return rows


def _duplicate_groups(store: Store, articles: list[Article], pairs: list[tuple[str, str, float]]) -> dict[str, str]:
    """article id -> group id for new articles with a near-duplicate (and stored partners not yet grouped).

    A new article joins its closest match's group; a stored match without a group starts one under its own
    id (it came first); new articles matching only each other take the first one's id (articles' order).
    """
    order = {article.id: number for number, article in enumerate(articles)}
    groups = store.duplicate_group_of(sorted({other for _, other, _ in pairs if other not in order}))
    best: dict[str, tuple[float, str]] = {}
    for article_id, other, similarity in pairs:
        if article_id not in best or similarity > best[article_id][0]:
            best[article_id] = (similarity, other)
    result: dict[str, str] = {}
    for article in articles:  # in order: an earlier new article's group is known when a later one joins it
        if article.id not in best:
            continue
        other = best[article.id][1]
        group = groups.get(other) or result.get(other) or other
        if other not in order and other not in groups:
            result[other] = groups[other] = group
        result[article.id] = group
        result.setdefault(other, group)
    return result
