"""The browser's write forms for speakers (merge, split): the same checks as the API (writes enabled and the
token, typed by the user into the form, never in a URL), then a page that says what changed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from narrascope.store import Store
from narrascope.web.render import render
from narrascope.web.writes import authorize, correct

router = APIRouter(include_in_schema=False)
SpeakerId = Annotated[str, Form(min_length=1, max_length=64)]
Token = Annotated[str, Form(max_length=500)]


@router.post("/speakers/{speaker_id}/merge", response_class=HTMLResponse)
async def merge_form(request: Request, speaker_id: str, into: SpeakerId, token: Token = "") -> Response:
    """Merge this speaker into another; then show the speaker it joined."""
    authorize(request, token)
    into = into.strip()
    await run_in_threadpool(correct, request, "merge", speaker_id, into)
    return RedirectResponse(f"/speakers/{quote(into, safe='')}?changed=merged", status_code=303)


@router.post("/speakers/{speaker_id}/split", response_class=HTMLResponse)
async def split_form(request: Request, speaker_id: str, token: Token = "") -> Response:
    """Split this speaker into one per name the articles credit; then list the speakers it became."""
    authorize(request, token)
    with Store(request.app.state.web.db_path, read_only=True) as store:
        before = store.speaker_row(speaker_id)
    if before is None:
        raise HTTPException(404, "no such speaker")
    await run_in_threadpool(correct, request, "split", speaker_id, None)
    names = {before["name"], *before["aliases"]}
    with Store(request.app.state.web.db_path, read_only=True) as store:
        now = [s for s in store.speakers() if s.name in names]
    return render(request, "split.html", before=before, speakers=now)
