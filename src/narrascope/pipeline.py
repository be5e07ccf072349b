"""Runs the stages in order over many pages, incrementally and idempotently; no stage logic here.

Per page: clean -> metadata -> claims, stored with its claims in one transaction, so a killed run
resumes where it stopped. Then the global stages (speakers, claim clusters, narratives) are
recomputed over every stored claim whenever the set of claims changed since they last ran.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from narrascope.articles import build_article
from narrascope.claims import extract_claims, load_nlp
from narrascope.config import Settings
from narrascope.errors import NarrascopeError, PageError
from narrascope.ingest import iter_pages
from narrascope.isolation import IsolatedWorker
from narrascope.models import Article, Claim, ClaimCluster, Narrative, RawPage, Rejection, SpeakerResolution
from narrascope.narratives import build_narratives, load_embedder
from narrascope.reuse import near_duplicate_groups, shared_passages
from narrascope.speakers import resolve_speakers
from narrascope.speakers.overrides import Override, apply_alias_names, apply_overrides, load_alias_file
from narrascope.store import Store
from narrascope.timeline.context import ClaimContext, claim_contexts

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str], None]
Group = TypeVar("Group", ClaimCluster, Narrative)
# Claims are read with an English parser; on other languages it would invent speakers.
CLAIM_LANGUAGES = frozenset({"en"})
# Bumped when the global stages change what they compute, so stored databases recompute them.
DERIVED_VERSION = 3


@dataclass
class IngestReport:
    """What an ingest run did with every input."""

    stored: int = 0
    unchanged: int = 0
    claims: int = 0  # claims of the pages stored in this run
    rejected: list[Rejection] = field(default_factory=list)


def process_page(
    page: RawPage, settings: Settings, parser: IsolatedWorker | None = None
) -> tuple[Article, list[Claim]]:
    """All per-page stages: the article and its claims.

    With a `parser`, the page is parsed (HTML/text -> article) in that worker process, under its time
    and memory caps; claims are read from the parsed article in this process.
    """
    article = parser.run(build_article, page, source=page.source) if parser else build_article(page)
    if article.language is not None and article.language not in CLAIM_LANGUAGES:
        logger.info("%s: language %s, claims not extracted", page.source, article.language)
        return article, []
    return article, extract_claims(article, load_nlp(settings.models.spacy_model))


@contextmanager
def _page_parser(settings: Settings) -> Iterator[IsolatedWorker | None]:
    """The worker process pages are parsed in, or None when isolation is switched off."""
    if not settings.ingest.isolate:
        yield None
        return
    with IsolatedWorker(timeout_s=settings.ingest.parse_timeout_s,
                        memory_bytes=settings.ingest.parse_memory_bytes) as worker:
        yield worker


def _process_or_reject(
    page: RawPage, settings: Settings, parser: IsolatedWorker | None
) -> tuple[Article, list[Claim]] | Rejection:
    """The page's article and claims, or why it cannot give them; never raises for one bad page."""
    try:
        return process_page(page, settings, parser)
    except PageError as error:
        return Rejection(error.source, error.reason, error.message)
    except Exception as error:  # one bad page never stops the batch; the reason is kept
        logger.exception("%s: unexpected failure", page.source)
        return Rejection(page.source, "internal_error", f"{type(error).__name__}: {error}")


def ingest(
    paths: Iterable[str], store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> IngestReport:
    """Ingest pages into the store, then refresh speakers, clusters and narratives.

    One bad page never stops the batch: it is recorded as a Rejection with its reason.
    """
    return ingest_items(iter_pages(paths, settings.ingest), store, settings, progress)


def ingest_items(
    items: Iterable[RawPage | Rejection], store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> IngestReport:
    """Store pages already read (from files, an upload, another tool), then refresh the derived tables."""
    report = IngestReport()
    with _page_parser(settings) as parser:
        for item in items:
            if progress:
                progress(item.source)
            if isinstance(item, RawPage) and store.has_article(item.id):
                report.unchanged += 1
                continue
            result = _process_or_reject(item, settings, parser) if isinstance(item, RawPage) else item
            if isinstance(result, Rejection):
                store.record_rejection(result)
                report.rejected.append(result)
            elif isinstance(item, RawPage):
                store.save_article(item, *result)
                report.stored += 1
                report.claims += len(result[1])
    refresh_derived(store, settings)
    store.sync_search_index()
    return report


def reprocess(store: Store, settings: Settings, progress: ProgressCallback | None = None) -> IngestReport:
    """Run the per-page stages again over every stored page (after the code or a model changed).

    Each page's article and claims are replaced in one transaction; analysts' speaker corrections are
    kept and applied again. A page that no longer yields an article keeps its old one and is reported.
    """
    report = IngestReport()
    with _page_parser(settings) as parser:
        for page in store.pages():
            if progress:
                progress(page.source)
            result = _process_or_reject(page, settings, parser)
            if isinstance(result, Rejection):
                report.rejected.append(result)
                continue
            store.replace_article(page, *result)
            report.stored += 1
    refresh_derived(store, settings)
    store.sync_search_index()
    return report


def correct_speakers(store: Store, settings: Settings, override: Override) -> None:
    """Record an analyst's merge or split and recompute what depends on speakers.

    Raises:
        NarrascopeError: an id names no stored speaker.
    """
    known = {speaker.id for speaker in store.speakers()}
    for speaker_id in (override.speaker_id, override.into_id):
        if speaker_id is not None and speaker_id not in known:
            raise NarrascopeError(f"no speaker {speaker_id!r}; `narrascope speakers --json` lists their ids")
    if override.action == "merge" and (override.into_id is None or override.into_id == override.speaker_id):
        raise NarrascopeError("a merge needs two different speakers")
    store.add_speaker_override(override)
    refresh_derived(store, settings, force=True)


def claims_fingerprint(
    article_ids: Sequence[str], claims: Sequence[Claim], settings: Settings, overrides: Sequence[Override] = ()
) -> str:
    """Identifies the inputs of the global stages: the articles, their claims and the settings."""
    digest = hashlib.sha256(repr((DERIVED_VERSION, settings.models.embedding_model, settings.narratives,
                                  settings.speakers, overrides)).encode())
    if settings.speakers.alias_file:
        digest.update(Path(settings.speakers.alias_file).read_bytes() if Path(settings.speakers.alias_file).exists()
                      else b"missing")
    for article_id in article_ids:
        digest.update(article_id.encode())
    for claim in claims:
        digest.update(claim.id.encode())
    return digest.hexdigest()


def refresh_derived(store: Store, settings: Settings, *, force: bool = False) -> bool:
    """Recompute speakers, claim clusters and narratives if the claims changed; returns whether it ran."""
    claims = store.claims()
    articles = {article.id: article for article in store.articles()}
    fingerprint = claims_fingerprint(sorted(articles), claims, settings, store.speaker_overrides())
    if not force and store.derived_state() == fingerprint:
        return False
    resolution = _resolve_speakers(store, claims, settings, {a.id: a.published for a in articles.values()})
    embedder = load_embedder(settings.models.embedding_model)

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        keys = [hashlib.sha256(text.encode()).hexdigest()[:24] for text in texts]
        cached = store.cached_vectors(keys, embedder.model_id)
        missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in cached}.items())
        if missing:
            fresh = embedder.embed([text for _, text in missing])
            new = {key: fresh[row] for row, (key, _) in enumerate(missing)}
            store.cache_vectors(new, embedder.model_id)
            cached.update(new)
        return np.stack([cached[key] for key in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    narrative_map = build_narratives(claims, articles, resolution.speaker_of_claim, embed, settings.narratives)
    clusters = _keep_ids(list(narrative_map.clusters), store.clusters())
    narratives = _keep_ids(list(narrative_map.narratives), store.narratives())
    cluster_ids = {old.id: new.id for old, new in zip(narrative_map.clusters, clusters, strict=True)}
    narrative_ids = {old.id: new.id for old, new in zip(narrative_map.narratives, narratives, strict=True)}
    narratives = [replace(n, cluster_ids=tuple(cluster_ids[c] for c in n.cluster_ids)) for n in narratives]
    links = {
        claim.id: (
            resolution.speaker_of_claim.get(claim.id),
            cluster_ids.get(narrative_map.cluster_of_claim.get(claim.id, "")),
            narrative_ids.get(narrative_map.narrative_of_claim.get(claim.id, "")),
        )
        for claim in claims
    }
    contexts = _claim_contexts(articles, claims)
    article_list = list(articles.values())
    store.replace_derived(resolution.speakers, clusters, narratives, links, fingerprint, contexts,
                          shared_passages(article_list), near_duplicate_groups(article_list))
    return True


def _resolve_speakers(
    store: Store, claims: Sequence[Claim], settings: Settings, published: dict[str, str | None] | None = None
) -> SpeakerResolution:
    """Speakers as the stage resolves them, with the alias file and the analysts' corrections applied."""
    named = claims
    if settings.speakers.alias_file:
        named = apply_alias_names(claims, load_alias_file(settings.speakers.alias_file))
    return apply_overrides(resolve_speakers(named, published), claims, store.speaker_overrides())


def _claim_contexts(articles: dict[str, Article], claims: Sequence[Claim]) -> list[ClaimContext]:
    """When and where every claim's statement was made, article by article."""
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    contexts: list[ClaimContext] = []
    for article_id, article_claims in by_article.items():
        contexts.extend(claim_contexts(articles[article_id], article_claims).values())
    return contexts


def _keep_ids(new: list[Group], old: list[Group]) -> list[Group]:
    """Give each new group the id of the old group it mostly continues, so ids stay put as news arrives.

    A new group keeps an old id when they share more than half of the larger one's claims; each old id
    goes to at most one new group (the one sharing most).
    """
    owners = {claim_id: group.id for group in old for claim_id in group.claim_ids}
    sizes = {group.id: len(group.claim_ids) for group in old}
    candidates: list[tuple[int, int, str]] = []
    for index, group in enumerate(new):
        shared: dict[str, int] = {}
        for claim_id in group.claim_ids:
            if claim_id in owners:
                shared[owners[claim_id]] = shared.get(owners[claim_id], 0) + 1
        for old_id, count in shared.items():
            if count * 2 > max(len(group.claim_ids), sizes[old_id]):
                candidates.append((count, index, old_id))
    result = list(new)
    taken: set[str] = set()
    assigned: set[int] = set()
    for _, index, old_id in sorted(candidates, reverse=True):
        if old_id not in taken and index not in assigned:
            result[index] = replace(result[index], id=old_id)
            taken.add(old_id)
            assigned.add(index)
    return result
