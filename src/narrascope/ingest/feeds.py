"""RSS and Atom feeds -> one RawPage (or Rejection) per entry.

feedparser only ever receives bytes narrascope holds itself, wrapped in a stream: given a `str` it
fetches URLs and reads local files, and given `bytes` that spell a path it opens that path too
(`open()` accepts bytes). Before feedparser sees a feed, its prolog is checked for DTD entity
declarations: internal entities are how billion laughs and quadratic blowup work (BATTERY.md H1, H2),
external and parameter entities how XXE reads files or probes the network (H3). A feed parse runs in
a capped worker process (5 s per feed, BATTERY.md conventions) because feedparser's author regex
backtracks for seconds on a long author (H8).

Oddities that do not stop a feed are flagged, never fatal (H12): bozo (malformed) feeds are parsed
best-effort, a repeated GUID keeps the first entry, and dates before 1900 or in the future are left
out of the entry's metadata so they cannot distort a timeline.

Example:
    >>> items = list(iter_feed_pages(feed_bytes, "feeds/world.xml"))
"""

from __future__ import annotations

import calendar
import html
import io
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from narrascope.errors import PageError
from narrascope.ingest.decode import content_id
from narrascope.isolation import parse_isolated
from narrascope.models import RawPage, Rejection

__all__ = ["FEED_TIMEOUT_S", "FeedInput", "check_xml_safety", "iter_feed_pages", "looks_like_feed", "parse_feed"]

logger = logging.getLogger(__name__)

FEED_TIMEOUT_S = 5.0  # BATTERY.md conventions: wall <= 5 s per feed
FEED_MEMORY_BYTES = 2 * 1024**3  # BATTERY.md conventions: RLIMIT_AS <= 2 GiB
# Dates outside [1900, now + 1 day] are flagged and dropped: news feeds carry no earlier articles, and a
# day of slack covers clock skew and time zones (H12: year 0, year 9999, future dates).
EARLIEST_YEAR = 1900
FUTURE_SLACK = timedelta(days=1)
# feedparser's author/email regex backtracks quadratically: 7 s on a 40 KB author (BATTERY.md H8).
# No real byline is this long, so longer ones are cut before the regex sees them.
MAX_AUTHOR_CHARS = 512

_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_PARAMETER_ENTITY = re.compile(rb"<!\s*ENTITY\s+%", re.IGNORECASE)
_EXTERNAL_ENTITY = re.compile(rb"<!\s*ENTITY\s+(?:%\s*)?[^\s>]+\s+(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_DOCTYPE_EXTERNAL = re.compile(rb"<!\s*DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM\s+|PUBLIC\s+(?:\"[^\"]*\"|'[^']*')\s*)"
                               rb"(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF|channel)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class FeedInput:
    """What a feed parse needs: the bytes, where they came from and when they were fetched."""

    data: bytes
    source: str
    fetched_at: str | None = None
    max_entry_bytes: int = 10 * 1024 * 1024  # BATTERY.md: raw input <= 10 MiB
    min_entry_chars: int = 20
    content_type: str | None = None


@dataclass
class _EntryFlags:
    flags: list[str] = field(default_factory=list)


def looks_like_feed(data: bytes) -> bool:
    """Whether the first KiB of `data` opens an RSS, Atom or RDF feed."""
    return _FEED_ROOT.search(_utf8_view(data[:4096])[:4096]) is not None


def check_xml_safety(data: bytes, source: str, *, transcode: bool = True) -> None:
    """Refuse XML whose prolog declares entities or points its DTD at a non-web location.

    The check reads the document as feedparser will (transcoded to UTF-8 first, so UTF-16 or
    UTF-32 cannot hide a declaration) and looks at everything before the root element. With
    `transcode=False` only the bytes as given are read (for text narrascope already decoded).

    Raises:
        PageError: `xxe_blocked` for external or parameter entities and file:/other DTD locations,
            `entity_amplification` for internal entity declarations.
    """
    for view in (data, _utf8_view(data)) if transcode else (data,):
        prolog = _prolog(view)
        if _EXTERNAL_ENTITY.search(prolog) or _PARAMETER_ENTITY.search(prolog):
            raise PageError(source, "xxe_blocked", "the feed declares external or parameter entities (XXE); "
                            "narrascope never resolves them")
        if _ENTITY_DECLARATION.search(prolog):
            raise PageError(source, "entity_amplification", "the feed declares its own entities (billion laughs "
                            "or quadratic blowup); feeds do not need them")
        for match in _DOCTYPE_EXTERNAL.finditer(prolog):
            location = (match.group(1) or match.group(2) or b"").strip().lower()
            if not location.startswith((b"http://", b"https://")):
                raise PageError(source, "xxe_blocked", "the feed's DOCTYPE points at a local or non-web location")


def _utf8_view(data: bytes) -> bytes:
    """The document as feedparser parses it: transcoded to UTF-8 from its BOM or declared encoding."""
    from feedparser.encodings import convert_to_utf8

    result: dict[str, Any] = {}
    try:
        converted = convert_to_utf8({}, data, result)
    except Exception:  # an encoding feedparser cannot convert: fall back to the raw bytes
        return data
    return converted if isinstance(converted, bytes) else data


def _prolog(data: bytes) -> bytes:
    """Everything before the root element, skipping comments, processing instructions and the DOCTYPE.

    feedparser's own split stops at the first `<letter`, which a comment can fake; this one does not.
    When the document never reaches a root element, the whole document counts as prolog (stricter).
    """
    position, size = 0, len(data)
    while position < size:
        while position < size and data[position] in b" \t\r\n\xef\xbb\xbf":
            position += 1
        if data.startswith(b"<?", position):
            end, skip = data.find(b"?>", position), 2
        elif data.startswith(b"<!--", position):
            end, skip = data.find(b"-->", position), 3
        elif data[position:position + 9].upper() == b"<!DOCTYPE":
            end, skip = _doctype_end(data, position), 1
        else:
            return data[:position]
        if end < 0:
            return data
        position = end + skip
    return data


def _doctype_end(data: bytes, start: int) -> int:
    """Index of the `>` closing the DOCTYPE at `start` (quotes and the [internal subset] skipped), or -1."""
    depth, quote, position = 0, 0, start
    while position < len(data):
        char = data[position]
        if quote:
            if char == quote:
                quote = 0
        elif char in b"\"'":
            quote = char
        elif char == ord("["):
            depth += 1
        elif char == ord("]"):
            depth -= 1
        elif char == ord(">") and depth <= 0:
            return position
        position += 1
    return -1


def parse_feed(feed: FeedInput) -> list[RawPage | Rejection]:
    """Parse a feed held in memory into pages (runs inside a worker; see `iter_feed_pages`).

    Raises:
        PageError: `xxe_blocked`, `entity_amplification` (see `check_xml_safety`), `not_a_feed`,
            `empty_feed`, `unreadable`.
    """
    import feedparser

    _bound_author_regex()
    if not isinstance(feed.data, bytes):
        raise TypeError("parse_feed takes bytes only: feedparser reads paths and URLs given as strings")
    check_xml_safety(feed.data, feed.source)
    headers = {"content-type": feed.content_type} if feed.content_type else None
    # A stream, never the bytes themselves: feedparser opens bytes that name a file.
    try:
        parsed = feedparser.parse(io.BytesIO(feed.data), response_headers=headers, resolve_relative_uris=False,
                                  sanitize_html=True)
    except (UnicodeError, ValueError, LookupError) as error:
        # Found by fuzzing (BATTERY.md H13): feedparser 6.0.14 raises on a garbled encoding name in the XML
        # declaration (`encoding="\x80utf-8"`, `encoding="\x00utf-8"`) instead of flagging the feed as bozo.
        raise PageError(feed.source, "unreadable", f"feedparser cannot read this feed ({type(error).__name__}: "
                        f"{error})") from error
    bozo = str(parsed.get("bozo_exception", "")) if parsed.get("bozo") else ""
    entries = list(parsed.get("entries", []))
    if not entries:
        if bozo and not parsed.get("version"):
            raise PageError(feed.source, "not_a_feed", f"not an RSS or Atom feed ({bozo})")
        raise PageError(feed.source, "empty_feed", "the feed has no entries")
    if bozo:
        logger.warning("%s: malformed feed parsed best-effort (%s)", feed.source, bozo)
    channel = parsed.get("feed", {})
    outlet = _text(channel.get("title"))
    now = datetime.now(UTC)
    seen: dict[str, int] = {}
    items: list[RawPage | Rejection] = []
    for number, entry in enumerate(entries, start=1):
        items.append(_entry_item(entry, number, feed, outlet, bool(bozo), seen, now))
    return items


def _bound_author_regex() -> None:
    """Cut author fields to MAX_AUTHOR_CHARS before feedparser's backtracking regex runs on them (H8)."""
    from feedparser.mixin import _FeedParserMixin

    original = _FeedParserMixin._sync_author_detail
    if getattr(original, "is_bounded", False):
        return

    def bounded(self: Any, key: str = "author") -> None:
        context = self._get_context()
        value = context.get(key)
        if isinstance(value, str) and len(value) > MAX_AUTHOR_CHARS:
            context[key] = value[:MAX_AUTHOR_CHARS]
        original(self, key)

    bounded.is_bounded = True  # type: ignore[attr-defined]
    _FeedParserMixin._sync_author_detail = bounded


def _entry_item(entry: Any, number: int, feed: FeedInput, outlet: str | None, is_bozo: bool,
                seen: dict[str, int], now: datetime) -> RawPage | Rejection:
    link = _web_link(entry.get("link"))
    where = f"{feed.source}#entry-{number}"
    guid = _text(entry.get("id")) or link
    if guid is not None:
        if guid in seen:
            logger.warning("%s: entry %d repeats the GUID of entry %d", feed.source, number, seen[guid])
            return Rejection(where, "duplicate_guid", f"entry {number} repeats the GUID of entry {seen[guid]}; "
                             "the first one was kept")
        seen[guid] = number
    flags = ["bozo"] if is_bozo else []
    published = _entry_date(entry, flags, now)
    body = _entry_body(entry)
    if len(body.encode("utf-8")) > feed.max_entry_bytes:
        return Rejection(link or where, "too_large", "the entry is over the page cap")
    title = _text(entry.get("title"))
    if len(_strip_tags(body).strip()) + len(title or "") < feed.min_entry_chars:
        return Rejection(link or where, "too_small", "the entry has no content or summary to speak of")
    if flags:
        logger.info("%s: entry %d flagged %s", feed.source, number, ",".join(flags))
    text = _entry_html(title, body, published, _text(entry.get("author")), outlet, link, flags).replace("\x00", "")
    return RawPage(id=content_id(text), source=link or where, kind="html", text=text, url=link,
                   fetched_at=feed.fetched_at)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _web_link(value: object) -> str | None:
    """An entry link if it is an absolute http(s) URL (never javascript:, data: or a bare GUID)."""
    link = _text(value)
    return link if link and re.match(r"https?://[^\s/]", link, re.IGNORECASE) else None


def _entry_body(entry: Any) -> str:
    contents = [c for c in entry.get("content", []) if isinstance(c, dict) and isinstance(c.get("value"), str)]
    for content in sorted(contents, key=lambda c: "html" not in str(c.get("type", ""))):
        if content["value"].strip():
            return str(content["value"])
    summary = entry.get("summary")
    return summary if isinstance(summary, str) else ""


def _entry_date(entry: Any, flags: list[str], now: datetime) -> str | None:
    """The entry's ISO date, or None (flagged) when it is unreadable, before 1900 or in the future."""
    for key in ("published", "updated", "created"):
        # Plain dict look-ups: FeedParserDict maps a missing `published` to `updated` with a DeprecationWarning.
        raw = dict.get(entry, key)
        parsed = dict.get(entry, f"{key}_parsed")
        if not raw:
            continue
        if not isinstance(parsed, time.struct_time):
            flags.append("date_unreadable")
            return None
        if parsed.tm_year < EARLIEST_YEAR:
            flags.append("date_implausible")
            return None
        try:
            moment = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (OverflowError, ValueError, OSError):
            flags.append("date_implausible")
            return None
        if moment > now + FUTURE_SLACK:
            flags.append("date_in_future")
            return None
        return moment.isoformat(timespec="seconds")
    return None


def _strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]*>", " ", markup)


def _entry_html(title: str | None, body: str, published: str | None, author: str | None, outlet: str | None,
                link: str | None, flags: list[str]) -> str:
    """A small HTML page for the entry whose head carries what the feed said about it.

    The body is feedparser's sanitised HTML; every other field is escaped here.
    """
    def meta(name: str, value: str | None) -> str:
        return f'<meta name="{name}" content="{html.escape(value)}">\n' if value else ""

    head = "".join((
        f"<title>{html.escape(title)}</title>\n" if title else "",
        meta("author", author), meta("og:site_name", outlet),
        f'<meta property="article:published_time" content="{published}">\n' if published else "",
        f'<link rel="canonical" href="{html.escape(link)}">\n' if link else "",
        meta("narrascope:feed-flags", ",".join(flags) or None),
    ))
    heading = f"<h1>{html.escape(title)}</h1>\n" if title else ""
    return f"<!DOCTYPE html>\n<html><head>\n{head}</head><body><article>\n{heading}{body}\n</article></body></html>\n"


def iter_feed_pages(data: bytes, source: str, *, fetched_at: str | None = None, max_entry_bytes: int = 10 * 1024**2,
                    min_entry_chars: int = 20, content_type: str | None = None,
                    timeout_s: float = FEED_TIMEOUT_S) -> Iterator[RawPage | Rejection]:
    """Yield a RawPage or a Rejection for each entry of a feed; the feed itself is parsed in a capped worker.

    Args:
        data: the feed's bytes, as read from a file or fetched by narrascope (never a path or URL).
        source: where the feed came from (path or URL), used in rejections.
        fetched_at: when the feed was fetched (ISO), copied to each page.
        timeout_s: wall-clock cap of the parse (BATTERY.md: 5 s per feed).

    Yields:
        One item per entry; a single Rejection for the whole feed when it cannot be read
        (`xxe_blocked`, `entity_amplification`, `timeout`, `memory`, `not_a_feed`, `empty_feed`, ...).
    """
    feed = FeedInput(data=data, source=source, fetched_at=fetched_at, max_entry_bytes=max_entry_bytes,
                     min_entry_chars=min_entry_chars, content_type=content_type)
    try:
        # Cheap check first, in this process: a hostile feed is refused without starting a worker.
        check_xml_safety(data, source)
        items = parse_isolated(parse_feed, feed, source=source, timeout_s=timeout_s, memory_bytes=FEED_MEMORY_BYTES)
    except PageError as error:
        yield Rejection(error.source, error.reason, error.message)
        return
    yield from items
