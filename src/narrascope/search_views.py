"""Full-text search results: the user's words as a safe FTS5 query, and snippets with the matches marked."""

from __future__ import annotations

import re
from typing import Any

from narrascope.store import Store
from narrascope.views import paged

SNIPPET_CHARS = 240
_FTS_TERM = re.compile(r'"([^"]+)"|(\S+)')


def fts_query(text: str) -> str:
    """A user's search words as a safe FTS5 query: every word or "quoted phrase" must appear."""
    terms = [(phrase or word).replace('"', "") for phrase, word in _FTS_TERM.findall(text)]
    return " ".join(f'"{term}"' for term in terms if term.strip())


def snippet_parts(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """A window of `text` around the first search term, as (text, is_match) parts.

    Example:
        >>> snippet_parts("the north-west sponsors", ["north-west"])
        [('the ', False), ('north-west', True), (' sponsors', False)]
    """
    words = [term for term in terms if term.strip()]
    if not words:
        return [(text[:width], False)] if text else []
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    window = " ".join(text[start:start + width].split())
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    position = 0
    for match in pattern.finditer(window):
        if match.start() > position:
            parts.append((window[position:match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(window):
        parts.append((window[position:], False))
    if start + width < len(text):
        parts.append(("…", False))
    return parts


def search_page(store: Store, query: str, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Articles whose title or body holds every word of `query`, best match first."""
    match = fts_query(query)
    rows = store.search_articles(match, limit=limit, offset=offset) if match else []
    terms = [(phrase or word).replace('"', "") for phrase, word in _FTS_TERM.findall(query)]
    for row in rows:
        parts = snippet_parts(row.pop("body") or "", terms)
        row["snippet"] = "".join(text for text, _ in parts)
        row["snippet_parts"] = [{"text": text, "match": is_match} for text, is_match in parts]
    return paged(rows, None, limit, offset) | {"query": query}
