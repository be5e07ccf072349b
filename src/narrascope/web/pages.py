"""Server-rendered HTML pages; each calls the same view function as its JSON twin."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from narrascope import search_views, views
from narrascope.web.api import Sort, semantic_record
from narrascope.web.deps import Limit, MinArticles, Offset, ReadStore, Since, cached
from narrascope.web.gone import found_narrative
from narrascope.web.render import render
from narrascope.web.text import sanitized_html

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def _found(record: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if record is None:
        raise HTTPException(404, f"no such {what}")
    return record


@router.get("/")
def overview(request: Request) -> HTMLResponse:
    """Counts, largest and newest narratives, ingestion status."""
    return render(request, "overview.html", data=cached(request, "overview", views.overview_record))


@router.get("/rejections")
def rejections(request: Request, store: ReadStore, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    """Every rejected page with its reason and message."""
    return render(request, "rejections.html", data=views.rejections_page(store, limit=limit, offset=offset))


@router.get("/narratives")
def narratives(
    request: Request, store: ReadStore, limit: Limit = 50, offset: Offset = 0, sort: Sort = "size",
    outlet: str | None = None, speaker: str | None = None, language: str | None = None,
    min_articles: MinArticles = None, since: Since = None,
) -> HTMLResponse:
    """Narratives, sortable and filterable."""
    data = views.narratives_page(store, sort=sort, outlet=outlet or None, speaker=speaker or None,
                                 language=language or None, min_articles=min_articles, since=since or None,
                                 limit=limit, offset=offset)
    outlets = cached(request, ("outlets", 100, 0), lambda own: views.outlets_page(own, limit=100, offset=0))
    languages = cached(request, "languages", lambda own: own.language_rows())
    return render(request, "narratives.html", data=data, outlets=outlets["items"], languages=languages)


@router.get("/narratives/{narrative_id}")
def narrative(request: Request, store: ReadStore, narrative_id: str) -> HTMLResponse:
    """One narrative with timeline and evidence."""
    return render(request, "narrative.html", data=found_narrative(store, narrative_id))


@router.get("/articles")
def articles(request: Request, store: ReadStore, limit: Limit = 50, offset: Offset = 0,
             outlet: str | None = None, language: str | None = None) -> HTMLResponse:
    """Articles newest first."""
    data = views.articles_page(store, outlet=outlet or None, language=language or None, limit=limit, offset=offset)
    return render(request, "articles.html", data=data)


@router.get("/articles/{article_id}")
def article(request: Request, store: ReadStore, article_id: str) -> HTMLResponse:
    """One article with its claims highlighted at their spans."""
    data = _found(views.article_detail(store, article_id), "article")
    # nh3's output, not the scraped field, is what is marked safe (W2).
    sanitized = Markup(sanitized_html(data["page_text"])) if data["page_kind"] == "html" else None  # noqa: S704
    return render(request, "article.html", data=data, sanitized=sanitized)


@router.get("/speakers")
def speakers(request: Request, store: ReadStore, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    """Speakers by name."""
    return render(request, "speakers.html", data=views.speakers_page(store, limit=limit, offset=offset))


@router.get("/speakers/{speaker_id}")
def speaker(request: Request, store: ReadStore, speaker_id: str, limit: Limit = 50,
            offset: Offset = 0, changed: Literal["merged", ""] = "") -> HTMLResponse:
    """One speaker's claims over time, roles, aliases; merge and split forms when writes are enabled."""
    data = _found(views.speaker_detail(store, speaker_id, limit=limit, offset=offset), "speaker")
    return render(request, "speaker.html", data=data, changed=changed)


@router.get("/outlets")
def outlets(request: Request, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    """Outlets by article count."""
    data = cached(request, ("outlets", limit, offset), lambda own: views.outlets_page(own, limit=limit, offset=offset))
    return render(request, "outlets.html", data=data)


@router.get("/outlets/{name:path}")
def outlet(request: Request, store: ReadStore, name: str, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    """One outlet's profile."""
    data = _found(views.outlet_detail(store, name, limit=limit, offset=offset), "outlet")
    return render(request, "outlet.html", data=data)


@router.get("/search")
def search(request: Request, store: ReadStore, q: Annotated[str, Query(max_length=500)] = "",
           limit: Limit = 50, offset: Offset = 0, mode: Literal["words", "meaning"] = "words") -> HTMLResponse:
    """Full-text search (every word) or semantic search over claims (closest in meaning)."""
    if mode == "meaning":
        return render(request, "search.html", data=semantic_record(request, q, limit, offset), mode=mode)
    data = search_views.search_page(store, q, limit=limit, offset=offset)
    return render(request, "search.html", data=data, mode=mode)
