"""Export downloads (CSV, JSON Lines, GEXF, dossiers), capped in rows and time like every other request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from narrascope import exports
from narrascope.errors import NarrascopeError
from narrascope.store import Store
from narrascope.web.settings import WebSettings

router = APIRouter(tags=["exports"])
EXPORT_ROW_CAP = 100_000
EXPORT_TIMEOUT = 30.0
Kind = Literal["claims-csv", "claims-jsonl", "articles-csv", "articles-jsonl", "gexf", "dossier-md", "dossier-html"]


def open_export_store(request: Request) -> Iterator[Store]:
    """A read-only connection with a longer time limit for exports (the CLI has none)."""
    web: WebSettings = request.app.state.web
    store = Store(web.db_path, read_only=True)
    try:
        with store.query_deadline(None if web.query_timeout is None else max(web.query_timeout, EXPORT_TIMEOUT)):
            yield store
    finally:
        store.close()


@router.get("/exports/{kind}")
def download(
    kind: Kind, store: Annotated[Store, Depends(open_export_store)],
    narrative: Annotated[str | None, Query(description="narrative id; needed for dossiers")] = None,
) -> Response:
    """Download an export of the whole database (first 100,000 rows) or of one narrative."""
    from fastapi import HTTPException

    try:
        body = exports.export(store, kind, narrative_id=narrative or None, limit=EXPORT_ROW_CAP)
    except NarrascopeError as error:
        raise HTTPException(404 if narrative else 400, "no such narrative" if narrative else "pass ?narrative=ID")\
            from error
    media_type, filename = exports.KINDS[kind]
    stem = f"narrative-{narrative[:16]}-" if narrative else ""
    safe_stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_")
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{safe_stem}{filename}"'})
