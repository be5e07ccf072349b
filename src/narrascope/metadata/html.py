"""Metadata of an HTML page from trafilatura (JSON-LD, Open Graph, <meta>, <title>, htmldate)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import trafilatura

from narrascope.metadata.dates import is_plausible_published

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HtmlFields:
    """What trafilatura read from the page's markup (None where it found nothing)."""

    title: str | None
    author: str | None
    date: str | None
    sitename: str | None


def html_fields(html: str, url: str | None) -> HtmlFields:
    """Title, author, date and site name of an HTML page; all None when it cannot be parsed."""
    try:
        document: Any = trafilatura.extract_metadata(html, default_url=url, extensive=True)
    except (ValueError, TypeError) as error:
        logger.debug("trafilatura could not read metadata: %s", error)
        document = None
    if document is None:
        return HtmlFields(None, None, None, None)
    return HtmlFields(
        title=_text(document.title),
        author=_text(document.author),
        date=_date(document.date),
        sitename=_text(document.sitename),
    )


def _date(value: object) -> str | None:
    text = _text(value)
    return text[:10] if text and is_plausible_published(text) else None


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
