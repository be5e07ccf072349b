"""JSON twins of every page under /api/v1/, paginated (`limit` at most 500, `offset`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict

from narrascope import search_views, views
from narrascope.web.deps import Limit, MinArticles, Offset, ReadStore, Since, cached
from narrascope.web.gone import found_narrative

router = APIRouter(prefix="/api/v1", tags=["api"])
Sort = Literal["size", "recent", "oldest"]


class Page(BaseModel):
    """One page of a list: `items`, where it starts, and whether more follow."""

    model_config = ConfigDict(extra="allow")
    items: list[dict[str, Any]]
    total: int | None
    limit: int
    offset: int
    has_more: bool


class ErrorBody(BaseModel):
    """The body of every error: {"error": {"status": ..., "message": ...}}."""

    error: dict[str, Any]


_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 503: {"model": ErrorBody}}


def _found(record: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if record is None:
        raise HTTPException(404, f"no such {what}")
    return record


@router.get("/overview", responses=_NOT_FOUND)
def overview(request: Request) -> dict[str, Any]:
    """Counts, largest and newest narratives, ingestion status with rejections."""
    return cast(dict[str, Any], cached(request, "overview", views.overview_record))


@router.get("/rejections", response_model=Page)
def rejections(store: ReadStore, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Pages that were not stored, latest first: file, typed reason, message; with counts per reason."""
    return views.rejections_page(store, limit=limit, offset=offset)


@router.get("/narratives", response_model=Page)
def narratives(
    store: ReadStore, limit: Limit = 50, offset: Offset = 0, sort: Sort = "size",
    outlet: str | None = None, speaker: Annotated[str | None, Query(description="speaker id")] = None,
    language: str | None = None, min_articles: MinArticles = None, since: Since = None,
) -> dict[str, Any]:
    """Narratives sorted by size, recency or age, filtered by outlet, speaker, language, size or recency."""
    return views.narratives_page(store, sort=sort, outlet=outlet, speaker=speaker, language=language,
                                 min_articles=min_articles, since=since, limit=limit, offset=offset)


@router.get("/narratives/{narrative_id}", responses=_NOT_FOUND | {410: {"model": ErrorBody}})
def narrative(store: ReadStore, narrative_id: str) -> dict[str, Any]:
    """A narrative: timeline, speakers, outlets, relays, claim clusters with their evidence."""
    return found_narrative(store, narrative_id)


@router.get("/articles", response_model=Page)
def articles(store: ReadStore, limit: Limit = 50, offset: Offset = 0, outlet: str | None = None,
             language: str | None = None) -> dict[str, Any]:
    """Articles newest first (metadata only)."""
    return views.articles_page(store, outlet=outlet, language=language, limit=limit, offset=offset)


@router.get("/articles/{article_id}", responses=_NOT_FOUND)
def article(store: ReadStore, article_id: str) -> dict[str, Any]:
    """An article: body, page text, metadata, claims with spans and the same statement elsewhere."""
    return _found(views.article_detail(store, article_id), "article")


@router.get("/speakers", response_model=Page)
def speakers(store: ReadStore, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Speakers by name."""
    return views.speakers_page(store, limit=limit, offset=offset)


@router.get("/speakers/{speaker_id}", responses=_NOT_FOUND)
def speaker(store: ReadStore, speaker_id: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """A speaker: aliases, role, claims per month, one page of claims."""
    return _found(views.speaker_detail(store, speaker_id, limit=limit, offset=offset), "speaker")


@router.get("/outlets", response_model=Page)
def outlets(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Outlets by article count."""
    return cast(dict[str, Any], cached(request, ("outlets", limit, offset),
                                       lambda own: views.outlets_page(own, limit=limit, offset=offset)))


@router.get("/outlets/{name:path}", responses=_NOT_FOUND)
def outlet(store: ReadStore, name: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """An outlet's profile and one page of its articles."""
    return _found(views.outlet_detail(store, name, limit=limit, offset=offset), "outlet")


@router.get("/search", response_model=Page)
def search(store: ReadStore, q: Annotated[str, Query(max_length=500)] = "", limit: Limit = 50,
           offset: Offset = 0) -> dict[str, Any]:
    """Full-text search (SQLite FTS5) over article titles and bodies: every word must appear."""
    return search_views.search_page(store, q, limit=limit, offset=offset)


def semantic_record(request: Request, q: str, limit: int, offset: int) -> dict[str, Any]:
    """Semantic search with a borrowed connection; the query is embedded outside the SQL time limit."""
    from narrascope.config import Settings
    from narrascope.narratives import load_embedder
    from narrascope.web.semantic import load_claim_vectors, semantic_page

    embedder = load_embedder(Settings.from_env().models.embedding_model)  # loads once per process
    # The index is built once per state of the database under the aggregates' own limit (at 200k articles
    # reading the claims and their vectors takes seconds; a page's limit would fail it on every request).
    index = cached(request, ("semantic", embedder.model_id), lambda own: load_claim_vectors(own, embedder.model_id))
    with request.app.state.pool.borrowed() as store:
        return semantic_page(store, index, embedder, q, limit=limit, offset=offset)


@router.get("/search/semantic", response_model=Page)
def search_semantic(request: Request, q: Annotated[str, Query(max_length=500)] = "", limit: Limit = 50,
                    offset: Offset = 0) -> dict[str, Any]:
    """Claims closest in meaning to the query (the pipeline's embedding model over cached claim vectors)."""
    return semantic_record(request, q, limit, offset)
