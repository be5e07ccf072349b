"""Ingest: files, folders, JSON Lines, Parquet, feeds, web archives, URLs -> RawPage, or a Rejection saying why not.

Every input ends as exactly one RawPage or one Rejection: nothing is dropped silently.

Example:
    >>> for item in iter_pages(["pages/"]):
    ...     print(item.source)
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from narrascope.config import IngestSettings
from narrascope.errors import PageError
from narrascope.ingest.decode import content_id, decode_page, decode_text, gunzip_capped, read_capped
from narrascope.models import PageKind, RawPage, Rejection

if TYPE_CHECKING:
    from narrascope.ingest.fetch import Fetcher

__all__ = ["content_id", "iter_pages", "page_from_text", "page_of_record", "walk_files"]

logger = logging.getLogger(__name__)

_TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_JSONL_PAGES_CAP = 100
_FEED_SUFFIXES = {".xml", ".rss", ".atom"}
_WARC_SUFFIXES = {".warc"}
_PARQUET_SUFFIXES = {".parquet"}
_DTD_WINDOW = 64 * 1024  # a DTD sits before the root element, at the top of the page
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def iter_pages(paths: Iterable[str], settings: IngestSettings | None = None) -> Iterator[RawPage | Rejection]:
    """Yield a RawPage or a Rejection for every page under `paths` (files or folders, recursive).

    Args:
        paths: files or folders; folders are walked recursively in sorted order, hidden entries skipped.
        settings: size caps.

    Yields:
        RawPage for each readable page, Rejection (typed reason + message) for each one that is not.
    """
    settings = settings or IngestSettings()
    with ExitStack() as resources:
        fetcher = None
        for given in paths:
            if _URL_SCHEME.match(given):
                if fetcher is None:
                    fetcher = resources.enter_context(_fetcher(settings))
                yield from _pages_of_url(given, settings, fetcher)
            else:
                yield from _pages_of_path(given, settings)


def _fetcher(settings: IngestSettings) -> Fetcher:
    from narrascope.ingest.fetch import Fetcher, FetchSettings

    return Fetcher(FetchSettings(max_bytes=settings.max_page_bytes))


def _pages_of_url(url: str, settings: IngestSettings, fetcher: Fetcher) -> Iterator[RawPage | Rejection]:
    from narrascope.ingest.fetch import fetch_pages

    # fetch_pages refuses file://, gopher:// and every other scheme but http(s) before any I/O.
    yield from fetch_pages([url], fetcher=fetcher, min_page_chars=settings.min_page_chars)


def _pages_of_path(given: str, settings: IngestSettings) -> Iterator[RawPage | Rejection]:
    path = Path(given)
    if path.is_dir():
        for file in walk_files(path):
            yield from _pages_of_file(file, settings)
    elif path.exists():
        yield from _pages_of_file(path, settings)
    else:
        yield Rejection(given, "not_found", "no such file or folder")


def page_from_text(source: str, text: str, kind: PageKind = "text", url: str | None = None) -> RawPage:
    """Build a RawPage from text already in memory (stdin, tests, other tools)."""
    return RawPage(id=content_id(text), source=source, kind=_sniff_kind(text, kind), text=text, url=url)


def walk_files(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, recursively, in sorted order, hidden files and folders skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _suffixes(path: Path) -> tuple[str, bool]:
    """The page suffix of `path` and whether it is gzip-compressed (`a.html.gz` -> (".html", True))."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return Path(name[:-3]).suffix, True
    return path.suffix.lower(), False


def _pages_of_file(path: Path, settings: IngestSettings) -> Iterator[RawPage | Rejection]:
    source = str(path)
    suffix, is_gzip = _suffixes(path)
    if suffix in _WARC_SUFFIXES:
        from narrascope.ingest.warc import iter_warc_pages

        # Streamed record by record (gzip recognised by its magic bytes); no whole-file cap.
        yield from iter_warc_pages(path, max_page_bytes=settings.max_page_bytes,
                                   min_page_chars=settings.min_page_chars)
        return
    if suffix in _PARQUET_SUFFIXES:
        from narrascope.ingest.parquet import iter_parquet_pages

        yield from iter_parquet_pages(path, settings)  # read row group by row group; no whole-file cap
        return
    if suffix not in _TEXT_SUFFIXES and suffix not in _JSONL_SUFFIXES and suffix not in _FEED_SUFFIXES:
        yield Rejection(source, "unsupported", "not a page file (.txt, .html, .htm, .jsonl, .xml, .rss, .atom, "
                        ".warc, optionally .gz; .parquet)")
        return
    try:
        data = _read(path, source, settings, is_gzip)
        if suffix in _FEED_SUFFIXES:
            from narrascope.ingest.feeds import iter_feed_pages

            yield from iter_feed_pages(data, source, max_entry_bytes=settings.max_page_bytes,
                                       min_entry_chars=settings.min_page_chars)
            return
        if suffix in _JSONL_SUFFIXES:
            yield from _pages_of_jsonl(data, source, settings)
            return
        decoded = decode_text(data, source, settings.min_page_chars)
        text = decoded.text
    except PageError as error:
        yield Rejection(error.source, error.reason, error.message)
        return
    except OSError as error:
        yield Rejection(source, "unreadable", error.strerror or str(error))
        return
    kind = _sniff_kind(text, _TEXT_SUFFIXES[suffix])  # type: ignore[arg-type]
    if kind == "html" and "<!" in text[:_DTD_WINDOW]:
        from narrascope.ingest.feeds import check_xml_safety

        try:  # XHTML with a DTD of its own: billion laughs and XXE are refused here too (BATTERY.md H1, H3)
            check_xml_safety(text[:_DTD_WINDOW].encode("utf-8"), source, transcode=False)
        except PageError as error:
            yield Rejection(error.source, error.reason, error.message)
            return
    yield RawPage(id=content_id(text), source=source, kind=kind, text=text, encoding=decoded.encoding,
                  encoding_confidence=decoded.confidence)


def _read(path: Path, source: str, settings: IngestSettings, is_gzip: bool) -> bytes:
    # A JSON Lines file holds many pages, so its cap is that of many pages.
    is_jsonl = _suffixes(path)[0] in _JSONL_SUFFIXES
    cap = settings.max_page_bytes * (_JSONL_PAGES_CAP if is_jsonl else 1)
    size = path.stat().st_size
    if size > cap:
        # Refuse before reading a byte: a 50 MB page is not an article.
        raise PageError(source, "too_large", f"{size / 1024 / 1024:.1f} MiB is over the cap "
                        f"of {cap // (1024 * 1024)} MiB")
    with path.open("rb") as stream:
        data = read_capped(stream, source, cap)
    return gunzip_capped(data, source, cap) if is_gzip else data


def _pages_of_jsonl(data: bytes, source: str, settings: IngestSettings) -> Iterator[RawPage | Rejection]:
    text, _ = decode_page(data, source, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Rejection(where, "bad_json", f"line {number} is not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            yield Rejection(where, "bad_json", f"line {number} is not a JSON object")
            continue
        yield page_of_record(record, where, f"line {number}", settings)


def page_of_record(record: dict[str, object], where: str, what: str, settings: IngestSettings,
                   bad_reason: str = "bad_json") -> RawPage | Rejection:
    """One JSON Lines or Parquet record ({html | text, url?, fetched_at?}) as a page, or why it is not one."""
    html, text = record.get("html"), record.get("text")
    body = html if isinstance(html, str) else text
    if not isinstance(body, str):
        return Rejection(where, bad_reason, f"{what} has neither an 'html' nor a 'text' string")
    url, fetched_at = record.get("url"), record.get("fetched_at")
    url = url if isinstance(url, str) else None
    fetched_at = fetched_at if isinstance(fetched_at, str) else None
    page_source = url or where
    if len(body.encode("utf-8")) > settings.max_page_bytes:
        return Rejection(page_source, "too_large", "the page is over the page cap")
    body = body.replace("\x00", "")
    if len(body.strip()) < settings.min_page_chars:
        return Rejection(page_source, "too_small", f"only {len(body.strip())} characters of text")
    kind: PageKind = "html" if isinstance(html, str) else "text"
    return RawPage(id=content_id(body), source=page_source, kind=_sniff_kind(body, kind), text=body,
                   url=url, fetched_at=fetched_at)


def _sniff_kind(text: str, declared: PageKind) -> PageKind:
    """A .txt file that is really HTML is parsed as HTML."""
    head = text[:512].lstrip().lower()
    if declared == "text" and (head.startswith("<!doctype html") or head.startswith("<html")):
        return "html"
    return declared
