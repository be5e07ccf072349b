"""`narrascope ingest --engine ray`: the per-page stages on a Ray cluster, through Ray Data.

The driver (this process) reads the sources (folders, WARC, JSON Lines, Parquet), skips pages already
stored and records read failures, exactly as a local run does. Pages then go to a Ray Data pipeline in
windows: a pool of actors, each holding the spaCy and embedding models (and its own parse worker
process when isolation is on), turns each page into its article, claims and the claims' passage
vectors (and, for a page in a language without claims, its sentences' multilingual vectors). Results
come back in input order and are stored page by page, one transaction each, through
`pipeline.store_result`; vectors land in the store's embedding cache, so the global stages that run
afterwards in this process (speakers, clusters, narratives, cross-lingual matching) embed them not again.

Failures: one page's exception is caught inside its task and comes back as a typed Rejection (as in a
local run). A task whose worker dies (a crash, the OOM killer, a lost node) is retried by Ray
(`max_task_retries`, actors restarted); pages whose task still failed are reported as
`engine_failure` rejections, never dropped.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from narrascope.config import Settings
from narrascope.errors import NarrascopeError
from narrascope.ingest import iter_pages
from narrascope.models import Article, Claim, RawPage, Rejection
from narrascope.narratives import Embedder, load_embedder
from narrascope.narratives.crosslingual import matchable_sentences
from narrascope.narratives.passages import split_passages
from narrascope.pipeline import (
    CLAIM_LANGUAGES,
    IngestReport,
    ProgressCallback,
    _page_parser,
    process_pages,
    refresh_derived,
    store_result,
    vector_key,
)
from narrascope.store import Store

logger = logging.getLogger(__name__)

WINDOW_PAGES = 2000  # pages handed to Ray at once: bounds the driver's memory on a crawl of millions
BATCH_PAGES = 8  # pages per Ray task: small enough that a retried task redoes little work
TASK_RETRIES = 3
START_ATTEMPTS = 3  # a loaded machine can miss Ray's fixed 30 s raylet start-up wait

PageResult = tuple[Article, list[Claim]] | Rejection
Vectors = dict[str, npt.NDArray[np.float32]]  # by cache key (pipeline.vector_key)


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide to run: a cluster address ("auto", "ray://host:10001") or a local cluster."""

    address: str | None = None
    workers: int = 2


class PageWorker:
    """A Ray actor: the per-page stages over a batch of pickled pages, the models loaded once."""

    def __init__(self, settings: Settings) -> None:
        from narrascope.claims import load_nlp

        self._settings = settings
        load_nlp(settings.models.spacy_model)
        self._embedder = load_embedder(settings.models.embedding_model)
        self._parser_context = _page_parser(settings)
        self._parser = self._parser_context.__enter__()

    def __call__(self, batch: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
        """Pickled (page id, result, passage vectors) for each pickled page of the batch."""
        # Pickles made by this driver and its own workers only (Ray pickles every argument anyway).
        pages: list[RawPage] = [pickle.loads(data) for data in batch["page"]]  # noqa: S301
        results = process_pages(pages, self._settings, self._parser)
        passages = _vectors_by_page([[] if isinstance(result, Rejection) else _passage_texts(result[1])
                                     for result in results], self._embedder)
        # The multilingual model is most of the global stages' CPU; its sentences are embedded here, in
        # parallel, so the driver's refresh finds them in the cache (loaded only when a page needs it).
        sentences = [[] if isinstance(result, Rejection) else _foreign_sentences(result[0]) for result in results]
        foreign = (_vectors_by_page(sentences, load_embedder(self._settings.models.multilingual_model))
                   if any(sentences) else [{} for _ in results])
        out = [pickle.dumps((page.id, result, page_passages, page_foreign))
               for page, result, page_passages, page_foreign in zip(pages, results, passages, foreign, strict=True)]
        return {"result": np.array(out, dtype=object)}


def _vectors_by_page(texts_of_page: list[list[str]], embedder: Embedder) -> list[dict[str, npt.NDArray[np.float32]]]:
    """Each page's texts' vectors by cache key, every distinct text of the batch embedded once."""
    unique = sorted({text for texts in texts_of_page for text in texts})
    vectors = embedder.embed(unique) if unique else np.zeros((0, 384), dtype=np.float32)
    by_text = dict(zip(unique, vectors, strict=True))
    return [{vector_key(text): by_text[text] for text in texts} for texts in texts_of_page]


def _foreign_sentences(article: Article) -> list[str]:
    """The sentences cross-lingual matching embeds for this article (none for a language with claims)."""
    if not article.language or article.language in CLAIM_LANGUAGES:
        return []
    return [article.body[start:end] for start, end in matchable_sentences(article.body)]


def _passage_texts(claims: list[Claim]) -> list[str]:
    """The texts the claim-clustering stage embeds for these claims (their passages)."""
    return [passage.text for passage in split_passages([claim.text for claim in claims])]


def ingest_with_ray(paths: Iterable[str], store: Store, settings: Settings, options: RayOptions,
                    progress: ProgressCallback | None = None) -> IngestReport:
    """Ingest pages with the per-page stages on Ray, then refresh the derived tables here.

    Raises:
        NarrascopeError: Ray is not installed or the cluster cannot be reached.
    """
    ray, started_here = _connect(options)
    report = IngestReport()
    model_id = _embedder_id(settings)
    try:
        for window in _windows(iter_pages(paths, settings.ingest), store, report, progress):
            for page, result, vectors, foreign in _run_window(ray, window, settings, options):
                if vectors:
                    store.cache_vectors(vectors, model_id)
                if foreign:  # the multilingual model is loaded here only once a page needs it
                    store.cache_vectors(foreign, _embedder_id(settings, multilingual=True))
                store_result(page, result, store, report)
    finally:
        if started_here:
            ray.shutdown()
    refresh_derived(store, settings)
    store.sync_search_index()
    return report


def _connect(options: RayOptions) -> tuple[Any, bool]:
    """The `ray` module, connected, and whether this call started the cluster (and so stops it)."""
    try:
        import ray
    except ImportError as error:
        raise NarrascopeError("--engine ray needs Ray: pip install -r requirements.txt") from error
    if ray.is_initialized():  # a caller (a test, a notebook) already chose the cluster
        return ray, False
    failure: Exception | None = None
    for _ in range(START_ATTEMPTS):
        try:
            if options.address is None:
                ray.init(num_cpus=options.workers, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            else:
                ray.init(address=options.address, log_to_driver=False, configure_logging=False)
            return ray, options.address is None
        except Exception as error:  # Ray raises a bare Exception when its raylet is slow to start
            failure = error
            ray.shutdown()
    where = options.address or "(local)"
    raise NarrascopeError(f"cannot start or reach the Ray cluster {where} ({START_ATTEMPTS} attempts): {failure}")


def _embedder_id(settings: Settings, *, multilingual: bool = False) -> str:
    models = settings.models
    return load_embedder(models.multilingual_model if multilingual else models.embedding_model).model_id


def _windows(items: Iterator[RawPage | Rejection], store: Store, report: IngestReport,
             progress: ProgressCallback | None) -> Iterator[list[RawPage]]:
    """New pages in windows of WINDOW_PAGES; read failures and pages already stored are settled here."""
    window: list[RawPage] = []
    seen: set[str] = set()
    for item in items:
        if progress:
            progress(item.source)
        if isinstance(item, Rejection):
            store_result(item, item, store, report)
        elif item.id in seen or store.has_article(item.id):
            report.unchanged += 1  # a copy later in the same run counts as the local run counts it
        else:
            seen.add(item.id)
            window.append(item)
            if len(window) >= WINDOW_PAGES:
                yield window
                window = []
    if window:
        yield window


def _run_window(ray: Any, pages: list[RawPage], settings: Settings,
                options: RayOptions) -> Iterator[tuple[RawPage, PageResult, Vectors, Vectors]]:
    """Every page of the window with its result, in input order; pages whose task failed are rejected."""
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True  # the store receives pages in the local run's order
    context.enable_progress_bars = False
    context.max_errored_blocks = len(pages)  # a failed block is reported below, the others go on
    dataset = ray.data.from_items([{"page": pickle.dumps(page)} for page in pages],
                                  override_num_blocks=max(1, len(pages) // BATCH_PAGES))
    processed = dataset.map_batches(
        PageWorker, fn_constructor_args=(settings,), batch_size=BATCH_PAGES, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=options.workers), num_cpus=1,
        # Ray Data retries failed actor tasks forever by default: a page that kills its worker every time
        # would never end the run. (Passed as remote args, which Ray 2.60 still takes with a warning.)
        max_restarts=TASK_RETRIES, max_task_retries=TASK_RETRIES,
    )
    by_id = {page.id: page for page in pages}
    done: set[str] = set()
    try:
        for row in processed.iter_rows():
            page_id, result, vectors, foreign = pickle.loads(row["result"])  # noqa: S301 (made by our workers)
            done.add(page_id)
            yield by_id[page_id], result, vectors, foreign
    except Exception as error:  # the pipeline itself failed: every page not returned is reported below
        logger.error("Ray pipeline failed: %s", error)
        failure = f"{type(error).__name__}: {error}"
    else:
        failure = f"its Ray task failed after {TASK_RETRIES} retries"
    for page in pages:
        if page.id not in done:
            yield page, Rejection(page.source, "engine_failure", failure), {}, {}
