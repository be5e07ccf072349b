"""The catalogue of known narratives: shown from the database by any server, edited (TOML or YAML text,
checked, then matched against the stored articles) only with writes enabled and the token."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from narrascope.narratives.catalogue import CatalogueError
from narrascope.narratives.catalogue_store import (
    MAX_CATALOGUE_CHARS,
    StoredCatalogue,
    catalogue_entry_page,
    catalogue_page,
    save_catalogue,
)
from narrascope.web.deps import Limit, Offset, ReadStore
from narrascope.web.render import render
from narrascope.web.settings import WebSettings
from narrascope.web.writes import authorize

router = APIRouter()
# A request has seconds, not hours: the web editor matches the most recent articles; `narrascope match
# CATALOGUE --save` matches all of them.
WEB_MATCH_ARTICLE_CAP = 2000
TextFormat = Literal["toml", "yaml"]
EXAMPLE = '''threshold = 0.45

[[narratives]]
name = "Example: the West sponsors terrorists"
description = "Western countries are said to fund or arm terrorist groups."
examples = ["the United States secretly sponsors the terrorists"]
'''


class CatalogueBody(BaseModel):
    """A whole catalogue as TOML or YAML text."""

    text: str = Field(min_length=1, max_length=MAX_CATALOGUE_CHARS)
    format: TextFormat = "toml"


def _save(request: Request, text: str, text_format: str) -> StoredCatalogue:
    """Check, match and store; 422 with the checker's message (which names the entry) when malformed."""
    from narrascope.config import Settings
    from narrascope.narratives import load_embedder
    from narrascope.store import Store

    web: WebSettings = request.app.state.web
    settings = replace(Settings.from_env(), db=web.db_path)
    embedder = load_embedder(settings.models.embedding_model)
    try:
        with Store(web.db_path) as store:
            return save_catalogue(store, text, text_format, embedder.embed, embedder.model_id,
                                  article_limit=WEB_MATCH_ARTICLE_CAP)
    except CatalogueError as error:
        raise HTTPException(422, str(error)) from error


def _outcome(saved: StoredCatalogue) -> dict[str, Any]:
    return {"status": "saved", "entries": saved.entries, "articles_read": saved.articles_read,
            "articles_total": saved.articles_total, "articles_matched": saved.articles_matched}


@router.get("/api/v1/catalogue", tags=["api"])
def catalogue_api(store: ReadStore, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The stored catalogue (text, threshold, when matched) and one page of entries with their best matches."""
    return catalogue_page(store, limit=limit, offset=offset)


@router.get("/api/v1/catalogue/entries/{name:path}", tags=["api"])
def catalogue_entry_api(store: ReadStore, name: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """One catalogue entry and one page of its matched articles with confidence and evidence spans."""
    found = catalogue_entry_page(store, name, limit=limit, offset=offset)
    if found is None:
        raise HTTPException(404, "no such catalogue entry")
    return found


@router.put("/api/v1/catalogue", tags=["api"])
async def catalogue_put(request: Request, body: Annotated[CatalogueBody, Body()]) -> dict[str, Any]:
    """Replace the catalogue and match it (most recent 2,000 articles); needs writes and the token header."""
    authorize(request)
    return _outcome(await run_in_threadpool(_save, request, body.text, body.format))


@router.get("/catalogue", include_in_schema=False, response_class=HTMLResponse)
def catalogue_view(request: Request, store: ReadStore, saved: Literal["1", ""] = "", limit: Limit = 50,
                   offset: Offset = 0) -> HTMLResponse:
    """The catalogue's entries with what they matched; the editor when writes are enabled."""
    data = catalogue_page(store, limit=limit, offset=offset)
    stored = data["catalogue"]
    return render(request, "catalogue.html", data=data, saved=bool(saved), error=None,
                  text=stored["text"] if stored else EXAMPLE, text_format=stored["format"] if stored else "toml",
                  match_cap=WEB_MATCH_ARTICLE_CAP)


@router.post("/catalogue", include_in_schema=False, response_class=HTMLResponse)
async def catalogue_edit(
    request: Request, text: Annotated[str, Form(max_length=MAX_CATALOGUE_CHARS)],
    text_format: Annotated[TextFormat, Form(alias="format")] = "toml",
    token: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Save the edited catalogue; a malformed one is shown again with the checker's message."""
    authorize(request, token)
    try:
        await run_in_threadpool(_save, request, text, text_format)
    except HTTPException as error:
        if error.status_code != 422:
            raise
        from narrascope.store import Store

        with Store(request.app.state.web.db_path, read_only=True) as store:
            data = catalogue_page(store)
        return render(request, "catalogue.html", status_code=422, data=data, saved=False, error=error.detail,
                      text=text, text_format=text_format, match_cap=WEB_MATCH_ARTICLE_CAP)
    return RedirectResponse("/catalogue?saved=1", status_code=303)


@router.get("/catalogue/entries/{name:path}", include_in_schema=False, response_class=HTMLResponse)
def catalogue_entry_view(request: Request, store: ReadStore, name: str, limit: Limit = 50,
                         offset: Offset = 0) -> HTMLResponse:
    """One entry: every matched article with confidence and the evidence that carried it."""
    found = catalogue_entry_page(store, name, limit=limit, offset=offset)
    if found is None:
        raise HTTPException(404, "no such catalogue entry")
    return render(request, "catalogue_entry.html", data=found)
