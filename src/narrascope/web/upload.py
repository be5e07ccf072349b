"""Files uploaded from the browser, ingested through the same path as `narrascope ingest FILE...`.

Each file is written under a temporary folder with its own name (its suffix picks the reader: page,
JSON Lines, feed, web archive, gzip), read by `iter_pages` with every size and safety check, then stored
by `pipeline.ingest_items`; the answer lists every file's outcome: stored, unchanged, or rejected with
its typed reason and message (also kept in the `rejections` table).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from narrascope.models import RawPage, Rejection
from narrascope.web.render import MAX_UPLOAD_FILES, render
from narrascope.web.settings import WebSettings
from narrascope.web.writes import authorize

router = APIRouter()
MAX_UPLOAD_FILE_BYTES = 100 * 2**20  # a web archive or JSON Lines file holds many pages
MAX_UPLOAD_TOTAL_BYTES = 2**30
_CHUNK = 2**20
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class SavedFile:
    """An uploaded file on disk, or why it was refused before reading."""

    name: str
    path: Path | None
    refusal: Rejection | None = None


def safe_name(filename: str | None, number: int) -> str:
    """The file's base name with only plain characters (never a path), or `upload-N`.

    Example:
        >>> safe_name("../../etc/passwd.html", 1)
        'passwd.html'
    """
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")[:200]
    return cleaned or f"upload-{number}"


async def _save(upload: UploadFile, folder: Path, number: int) -> SavedFile:
    name = safe_name(upload.filename, number)
    target = folder / str(number) / name
    target.parent.mkdir()
    written = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            written += len(chunk)
            if written > MAX_UPLOAD_FILE_BYTES:
                return SavedFile(name, None, Rejection(f"upload:{name}", "too_large",
                                                       f"over the upload cap of {MAX_UPLOAD_FILE_BYTES // 2**20} MiB"))
            out.write(chunk)
    return SavedFile(name, target)


def ingest_files(db_path: str, files: list[SavedFile]) -> list[dict[str, Any]]:
    """Read and store the saved files; one outcome per page (a file can hold several), in file order."""
    from narrascope.config import Settings
    from narrascope.ingest import iter_pages
    from narrascope.pipeline import ingest_items
    from narrascope.store import Store

    settings = replace(Settings.from_env(), db=db_path)
    items: list[tuple[str, RawPage | Rejection]] = []
    for saved in files:
        if saved.path is None:
            assert saved.refusal is not None
            items.append((saved.name, saved.refusal))
            continue
        prefix = str(saved.path)
        for item in iter_pages([prefix], settings.ingest):
            source = f"upload:{saved.name}{item.source[len(prefix):]}" if item.source.startswith(prefix) \
                else f"upload:{saved.name}"
            items.append((saved.name, replace(item, source=source)))
    with Store(db_path) as store:
        known = {item.id for _, item in items if isinstance(item, RawPage) and store.has_article(item.id)}
        report = ingest_items([item for _, item in items], store, settings)
    rejected = {rejection.source: rejection for rejection in report.rejected}
    outcomes: list[dict[str, Any]] = []
    for name, item in items:
        if isinstance(item, RawPage) and item.source not in rejected:
            status = "unchanged" if item.id in known else "stored"
            known.add(item.id)  # a second copy in the same batch was not stored again
            outcomes.append({"file": name, "source": item.source, "article_id": item.id, "reason": None,
                             "message": None, "status": status})
            continue
        why = rejected.get(item.source) or item
        assert isinstance(why, Rejection)
        outcomes.append({"file": name, "source": item.source, "status": "rejected", "reason": why.reason,
                         "message": why.message, "article_id": None})
    return outcomes


async def _upload(request: Request) -> list[dict[str, Any]]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "multipart/form-data":
        raise HTTPException(415, "send the files as multipart/form-data (field name: files)")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_TOTAL_BYTES:  # refused before a byte is spooled
        raise HTTPException(413, f"over {MAX_UPLOAD_TOTAL_BYTES // 2**20} MiB in one upload: send fewer files")
    async with request.form(max_files=MAX_UPLOAD_FILES, max_fields=20) as form:
        token = form.get("token")
        authorize(request, token if isinstance(token, str) else None)
        uploads = [value for value in form.getlist("files") if isinstance(value, UploadFile)]
        if not uploads:
            raise HTTPException(422, "choose at least one file")
        web: WebSettings = request.app.state.web
        with tempfile.TemporaryDirectory(prefix="narrascope-upload-") as scratch:
            if sum(upload.size or 0 for upload in uploads) > MAX_UPLOAD_TOTAL_BYTES:
                raise HTTPException(413, f"over {MAX_UPLOAD_TOTAL_BYTES // 2**20} MiB in one upload: send fewer files")
            saved = [await _save(upload, Path(scratch), number) for number, upload in enumerate(uploads, 1)]
            return await run_in_threadpool(ingest_files, web.db_path, saved)


def _summary(outcomes: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"stored": 0, "unchanged": 0, "rejected": 0}
    for outcome in outcomes:
        counts[outcome["status"]] += 1
    return counts


@router.post("/api/v1/upload/files", tags=["api"])
async def upload_files_api(request: Request) -> dict[str, Any]:
    """Ingest files (multipart field `files`, up to 200); needs writes and the X-Narrascope-Token header.

    Answers every page's outcome: stored, unchanged, or rejected with reason and message.
    """
    outcomes = await _upload(request)
    return {"summary": _summary(outcomes), "items": outcomes}


@router.post("/upload/files", include_in_schema=False, response_class=HTMLResponse)
async def upload_files_page(request: Request) -> HTMLResponse:
    """Ingest the chosen files and list each one's outcome."""
    outcomes = await _upload(request)
    return render(request, "upload.html", result=None, outcomes=outcomes, summary=_summary(outcomes))
