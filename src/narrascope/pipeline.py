"""Runs the stages in order over many pages, incrementally and idempotently; no stage logic here.

Per page: clean -> metadata -> claims, stored with its claims in one transaction, so a killed run
resumes where it stopped. Then the global stages (speakers, claim clusters, narratives) are
recomputed (with each article's stance) over every stored claim whenever the set of claims changed since they last ran.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narrascope.articles import build_article
from narrascope.claims import PIPE_BATCH, extract_claims, extract_claims_batch, load_nlp
from narrascope.config import Settings
from narrascope.errors import NarrascopeError, PageError
from narrascope.incremental import record_base, refresh_incremental
from narrascope.ingest import iter_pages
from narrascope.isolation import IsolatedWorker
from narrascope.models import Article, Claim, ForeignEvidence, RawPage, Rejection, SpeakerResolution
from narrascope.narratives import Embedder, build_narratives, load_embedder
from narrascope.narratives.crosslingual import foreign_evidence, join_foreign
from narrascope.narratives.history import group_changes, keep_ids
from narrascope.reuse import near_duplicate_groups, shared_passages
from narrascope.speakers import resolve_speakers
from narrascope.speakers.overrides import Override, apply_alias_names, apply_overrides, load_alias_file
from narrascope.stance import narrative_stances
from narrascope.store import Store
from narrascope.timeline.context import ClaimContext, contexts_or_none

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str], None]
# Claims are read with an English parser; on other languages it would invent speakers.
CLAIM_LANGUAGES = frozenset({"en"})
# Bumped when the global stages change what they compute, so stored databases recompute them.
DERIVED_VERSION = 4


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
    article = _parse(page, parser)
    if not _has_claim_language(article):
        logger.info("%s: language %s, claims not extracted", page.source, article.language)
        return article, []
    return article, extract_claims(article, load_nlp(settings.models.spacy_model))


def _parse(page: RawPage, parser: IsolatedWorker | None) -> Article:
    """The page's article, parsed in the worker process when there is one."""
    return parser.run(build_article, page, source=page.source) if parser else build_article(page)


def _has_claim_language(article: Article) -> bool:
    return article.language is None or article.language in CLAIM_LANGUAGES


def _rejection(page: RawPage, error: Exception) -> Rejection:
    """Why one page failed (called in its `except` block): its own reason, or `internal_error`, logged."""
    if isinstance(error, PageError):
        return Rejection(error.source, error.reason, error.message)
    logger.exception("%s: unexpected failure", page.source)
    return Rejection(page.source, "internal_error", f"{type(error).__name__}: {error}")


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
    except Exception as error:  # one bad page never stops the batch; the reason is kept
        return _rejection(page, error)


def process_pages(
    pages: Sequence[RawPage], settings: Settings, parser: IsolatedWorker | None = None
) -> list[tuple[Article, list[Claim]] | Rejection]:
    """`_process_or_reject` for each page, with the English bodies parsed by spaCy together.

    The same articles and claims as page by page, for less CPU; if claims fail anywhere in the batch,
    its pages are done one by one so that only the bad page is rejected.
    """
    articles: list[Article | Rejection] = []
    for page in pages:
        try:
            articles.append(_parse(page, parser))
        except Exception as error:  # as in _process_or_reject
            articles.append(_rejection(page, error))
    english = [a for a in articles if isinstance(a, Article) and _has_claim_language(a)]
    try:
        found = extract_claims_batch(english, load_nlp(settings.models.spacy_model))
        claims = {id(article): article_claims for article, article_claims in zip(english, found, strict=True)}
    except Exception:  # the failing page is found again, page by page, below
        return [_process_or_reject(page, settings, parser) for page in pages]
    return [a if isinstance(a, Rejection) else (a, claims.get(id(a), [])) for a in articles]


def ingest(
    paths: Iterable[str], store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> IngestReport:
    """Ingest pages into the store, then refresh speakers, clusters and narratives.

    One bad page never stops the batch: it is recorded as a Rejection with its reason.
    """
    return ingest_items(iter_pages(paths, settings.ingest), store, settings, progress)


def ingest_items(
    items: Iterable[RawPage | Rejection], store: Store, settings: Settings, progress: ProgressCallback | None = None,
    *, batch_size: int = PIPE_BATCH,
) -> IngestReport:
    """Store pages already read (from files, an upload, another tool), then refresh the derived tables.

    Pages are parsed `batch_size` at a time, so up to that many items are read from `items` before the
    first of them is stored; a caller that acts once an item is stored (`watch` remembers it as seen)
    passes `batch_size=1`.
    """
    report = IngestReport()
    with _page_parser(settings) as parser:
        batch: list[RawPage] = []
        for item in items:
            if progress:
                progress(item.source)
            if isinstance(item, Rejection):
                store_result(item, item, store, report)
            elif store.has_article(item.id) or any(page.id == item.id for page in batch):
                report.unchanged += 1
            else:
                batch.append(item)
            if len(batch) >= batch_size:
                _store_batch(batch, settings, parser, store, report)
                batch = []
        _store_batch(batch, settings, parser, store, report)
    refresh_derived(store, settings)
    store.sync_search_index()
    return report


def store_result(item: RawPage | Rejection, result: tuple[Article, list[Claim]] | Rejection, store: Store,
                 report: IngestReport) -> None:
    """Store one page with its article and claims in one transaction, or record why it was rejected.

    The one way per-page results reach the store, whichever engine computed them (this process, Ray).
    """
    if isinstance(result, Rejection):
        store.record_rejection(result)
        report.rejected.append(result)
    elif isinstance(item, RawPage):
        try:
            store.save_article(item, *result)
        except PageError as error:  # the store cannot hold this page (PostgreSQL: a NUL character)
            rejection = Rejection(error.source, error.reason, error.message)
            store.record_rejection(rejection)
            report.rejected.append(rejection)
            return
        report.stored += 1
        report.claims += len(result[1])


def _store_batch(pages: list[RawPage], settings: Settings, parser: IsolatedWorker | None, store: Store,
                 report: IngestReport) -> None:
    """Process a batch of new pages and store each one in its own transaction."""
    for page, result in zip(pages, process_pages(pages, settings, parser), strict=True):
        store_result(page, result, store, report)


def vector_key(text: str) -> str:
    """The key a text's embedding is cached under (with the model's id) in the store."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


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
            if not isinstance(result, Rejection):
                try:
                    store.replace_article(page, *result)
                    report.stored += 1
                    continue
                except PageError as error:  # the store cannot hold the new version; the old one stays
                    result = Rejection(error.source, error.reason, error.message)
            report.rejected.append(result)
    refresh_derived(store, settings, full=True)  # claims changed in place: nothing to place incrementally
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


def settings_digest(settings: Settings, overrides: Sequence[Override] = ()) -> str:
    """Identifies the settings, alias file and corrections the global stages ran with (not their inputs)."""
    return hashlib.sha256(repr((DERIVED_VERSION, settings.models.embedding_model, settings.narratives,
                                settings.speakers, tuple(overrides))).encode() + _alias_bytes(settings)).hexdigest()


def _alias_bytes(settings: Settings) -> bytes:
    path = Path(settings.speakers.alias_file) if settings.speakers.alias_file else None
    return b"" if path is None else path.read_bytes() if path.exists() else b"missing"


def claims_fingerprint(
    article_ids: Sequence[str], claims: Sequence[Claim], settings: Settings, overrides: Sequence[Override] = ()
) -> str:
    """Identifies the inputs of the global stages: the articles, their claims and the settings."""
    digest = hashlib.sha256(repr((DERIVED_VERSION, settings.models.embedding_model, settings.narratives,
                                  settings.speakers, overrides)).encode())
    digest.update(_alias_bytes(settings))
    for article_id in article_ids:
        digest.update(article_id.encode())
    for claim in claims:
        digest.update(claim.id.encode())
    return digest.hexdigest()


def refresh_derived(store: Store, settings: Settings, *, force: bool = False, full: bool = False) -> bool:
    """Recompute speakers, claim clusters and narratives if the claims changed; returns whether it ran.

    When only new articles arrived in a large corpus, they are placed into the stored groups instead
    (narrascope/incremental.py); `full` recomputes everything unless a full run already gave the stored
    state, `force` recomputes it in any case.
    """
    overrides = store.speaker_overrides()
    if not (force or full):
        placed = refresh_incremental(store, settings, settings_digest(settings, overrides),
                                     lambda: _cached_embed(store, load_embedder(settings.models.embedding_model)))
        if placed is not None:
            return placed
    claims = store.claims()
    articles = {article.id: article for article in store.articles()}
    fingerprint = claims_fingerprint(sorted(articles), claims, settings, overrides)
    if not force and store.derived_state() == fingerprint:
        return False
    resolution = _resolve_speakers(store, claims, settings, {a.id: a.published for a in articles.values()})
    embed = _cached_embed(store, load_embedder(settings.models.embedding_model))

    narrative_map = build_narratives(claims, articles, resolution.speaker_of_claim, embed, settings.narratives)
    old_clusters, old_narratives = store.clusters(), store.narratives()
    clusters = keep_ids(narrative_map.clusters, old_clusters)
    narratives = keep_ids(narrative_map.narratives, old_narratives)
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
    # Stance reads English own-voice sentences, so it is judged before other languages' sentences join.
    stances = narrative_stances(narratives, articles, claims, embed, load_nlp(settings.models.spacy_model))
    foreign: list[ForeignEvidence] = []
    if any(article.language and article.language not in CLAIM_LANGUAGES for article in article_list):
        multilingual = _cached_embed(store, load_embedder(settings.models.multilingual_model))
        foreign = foreign_evidence(article_list, claims, narratives, multilingual,
                                   settings.narratives.same_claim_across_languages, CLAIM_LANGUAGES)
        narratives = join_foreign(narratives, foreign, articles)
    history = group_changes("cluster", old_clusters, clusters) + group_changes("narrative", old_narratives, narratives)
    store.replace_derived(resolution.speakers, clusters, narratives, links, fingerprint, contexts,
                          shared_passages(article_list), near_duplicate_groups(article_list), stances, history,
                          foreign)
    if len(claims) > settings.narratives.incremental_above and not overrides:
        record_base(store, article_list, fingerprint, settings_digest(settings, overrides), len(claims))
    return True


def _cached_embed(store: Store, embedder: Embedder) -> Callable[[list[str]], npt.NDArray[np.float32]]:
    """The embedder's vectors through the store's cache (keyed by text hash and model id)."""

    def embed(texts: list[str]) -> npt.NDArray[np.float32]:
        keys = [vector_key(text) for text in texts]
        cached = store.cached_vectors(keys, embedder.model_id)
        missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in cached}.items())
        if missing:
            fresh = embedder.embed([text for _, text in missing])
            new = {key: fresh[row] for row, (key, _) in enumerate(missing)}
            store.cache_vectors(new, embedder.model_id)
            cached.update(new)
        return np.stack([cached[key] for key in keys]) if keys else np.zeros((0, 384), dtype=np.float32)

    return embed


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
        contexts.extend(contexts_or_none(articles[article_id], article_claims).values())
    return contexts
