"""State-changing endpoints (W4, W5): only when the server was started with writes enabled AND the request
carries the token, in the X-Narrascope-Token header or a form field (never in a URL)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Body, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from narrascope.errors import PageError
from narrascope.web.render import render
from narrascope.web.security import TOKEN_HEADER, token_matches
from narrascope.web.settings import WebSettings

logger = logging.getLogger(__name__)
router = APIRouter()
MAX_UPLOAD_CHARS = 5_000_000


class UploadBody(BaseModel):
    """A page to ingest: where it came from and its text or HTML."""

    source: str = Field(min_length=1, max_length=2000)
    text: str = Field(min_length=1, max_length=MAX_UPLOAD_CHARS)


def authorize(request: Request, form_token: str | None = None) -> None:
    """Let a write through only with writes enabled and the right token; 403 otherwise.

    Raises:
        HTTPException: 403 when writes are disabled, the token is missing or wrong, or it came in the URL.
    """
    web: WebSettings = request.app.state.web
    if not web.allow_writes:
        raise HTTPException(403, "this server is read-only; start it with --allow-writes --token SECRET")
    if any(key.lower() in ("token", "csrf", "x-narrascope-token") for key in request.query_params):
        raise HTTPException(403, "the token never goes in a URL; send it in the X-Narrascope-Token header")
    given = request.headers.get(TOKEN_HEADER) or form_token
    if not token_matches(web.token, given):
        raise HTTPException(403, "missing or wrong token")


def ingest_text(db_path: str, source: str, text: str) -> dict[str, Any]:
    """Store one page given as text or HTML through the pipeline; a no-op if already stored.

    Raises:
        PageError: the page was rejected (its typed reason is also kept in the database).
    """
    from narrascope.config import Settings
    from narrascope.ingest import page_from_text
    from narrascope.pipeline import ingest_items
    from narrascope.store import Store

    settings = replace(Settings.from_env(), db=db_path)
    page = page_from_text(source, text)
    with Store(db_path) as store:
        report = ingest_items([page], store, settings)
    if report.rejected:
        rejection = report.rejected[0]
        raise PageError(rejection.source, rejection.reason, rejection.message)
    if report.unchanged:
        return {"status": "unchanged", "article_id": page.id}
    logger.info("uploaded %s as %s with %d claims", source, page.id, report.claims)
    return {"status": "stored", "article_id": page.id, "claims": report.claims}


def _ingest(request: Request, source: str, text: str) -> dict[str, Any]:
    web: WebSettings = request.app.state.web
    try:
        return ingest_text(web.db_path, source, text)
    except PageError as error:
        raise HTTPException(422, f"page not stored: {error.reason}") from error


@router.post("/api/v1/upload", tags=["api"])
def upload_api(request: Request, page: Annotated[UploadBody, Body()]) -> dict[str, Any]:
    """Ingest one page (JSON body); needs writes enabled and the X-Narrascope-Token header."""
    authorize(request)
    return _ingest(request, page.source, page.text)


@router.get("/upload", include_in_schema=False, response_class=HTMLResponse)
def upload_form(request: Request) -> HTMLResponse:
    """The upload form (the token is typed by the user, never embedded in the page)."""
    return render(request, "upload.html", result=None)


@router.post("/upload", include_in_schema=False, response_class=HTMLResponse)
async def upload_page(request: Request) -> HTMLResponse:
    """Ingest one page pasted into the form (application/x-www-form-urlencoded)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise HTTPException(415, "send the upload form as application/x-www-form-urlencoded")
    raw = await request.body()
    if len(raw) > MAX_UPLOAD_CHARS * 4:
        raise HTTPException(413, "page too large")
    fields = {key: values[0] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()}
    authorize(request, fields.get("token"))
    source, text = fields.get("source", "").strip() or "upload", fields.get("text", "")
    if not text.strip():
        raise HTTPException(422, "the page text is empty")
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(_ingest, request, source[:2000], text)
    return render(request, "upload.html", result=result)


class MergeBody(BaseModel):
    """The speaker another one joins."""

    into: str = Field(min_length=1, max_length=64)


def correct(request: Request, action: str, speaker_id: str, into: str | None) -> dict[str, Any]:
    """Record a merge or split through the pipeline (422 when an id names no speaker)."""
    from narrascope.config import Settings
    from narrascope.errors import NarrascopeError
    from narrascope.pipeline import correct_speakers
    from narrascope.speakers.overrides import Override
    from narrascope.store import Store

    web: WebSettings = request.app.state.web
    settings = replace(Settings.from_env(), db=web.db_path)
    try:
        with Store(web.db_path) as store:
            correct_speakers(store, settings, Override(action, speaker_id, into))
    except NarrascopeError as error:
        raise HTTPException(422, "no such speaker, or not two different ones") from error
    return {"status": "recorded", "action": action, "speaker_id": speaker_id, "into": into}


@router.post("/api/v1/speakers/{speaker_id}/merge", tags=["api"])
def merge_speaker(request: Request, speaker_id: str, body: Annotated[MergeBody, Body()]) -> dict[str, Any]:
    """Merge a speaker into another (kept across recomputation and reprocess); needs writes and the token."""
    authorize(request)
    return correct(request, "merge", speaker_id, body.into)


@router.post("/api/v1/speakers/{speaker_id}/split", tags=["api"])
def split_speaker(request: Request, speaker_id: str) -> dict[str, Any]:
    """Split a speaker into one per name the articles credit; needs writes and the token."""
    authorize(request)
    return correct(request, "split", speaker_id, None)
