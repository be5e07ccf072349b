"""Metadata stage: title, outlet, publication date, author and language of a cleaned page.

Text pages are read with line heuristics on the header (the page above the body): the title
block is the headline-like line above a byline/date block. HTML pages use trafilatura's
own markup signals first (narrascope.metadata.markup: the <h1> the <title> agrees with, JSON-LD
people, publication <meta>), then trafilatura's metadata, then the same text heuristics.

Example:
    >>> from narrascope.ingest import page_from_text
    >>> from narrascope.models import CleanedPage
    >>> page = page_from_text("p.txt", "Ministers meet in Minsk over security\\nBy Jane Doe - May 26, 2023\\n")
    >>> meta = extract_metadata(page, CleanedPage(body="", header=page.text.strip()))
    >>> (meta.title, meta.author, meta.published)
    ('Ministers meet in Minsk over security', 'Jane Doe', '2023-05-26')
"""

from __future__ import annotations

import logging

import py3langid

from narrascope.clean import boilerplate
from narrascope.clean.lines import Line, split_lines
from narrascope.clean.regions import ticker_lines
from narrascope.metadata import outlet as outlets
from narrascope.metadata.html import html_fields
from narrascope.metadata.markup import markup_fields
from narrascope.metadata.people import find_author
from narrascope.metadata.published import find_published
from narrascope.metadata.title import find_title, is_meta_line
from narrascope.models import CleanedPage, Metadata, RawPage

__all__ = ["extract_metadata"]

logger = logging.getLogger(__name__)

# Below this many characters language identification is a guess; we say None instead.
_MIN_LANGUAGE_CHARS = 40
_LANGUAGE_SAMPLE_CHARS = 2000
_TITLE_BLOCK_LINES = 6
_LEADING_META_LINES = 3


def extract_metadata(page: RawPage, cleaned: CleanedPage) -> Metadata:
    """Read what the page says about its article.

    Args:
        page: the page as ingested (its URL gives the outlet's domain as a last resort).
        cleaned: the clean stage's output for this page (body, header, footer).

    Returns:
        Metadata with title, outlet, published (ISO YYYY-MM-DD, only when the page gives a full
        date in its title block), author (from a byline) and language (py3langid on the body);
        each is None when the page does not say.
    """
    text_meta = _from_text(page, cleaned)
    if page.kind != "html":
        return text_meta
    fields = html_fields(page.text, page.url)
    markup = markup_fields(page.text)
    return Metadata(
        title=markup.title or fields.title or text_meta.title,
        outlet=fields.sitename or text_meta.outlet,
        published=markup.date or fields.date or text_meta.published,
        author=markup.author or fields.author or text_meta.author,
        language=text_meta.language,
    )


def _from_text(page: RawPage, cleaned: CleanedPage) -> Metadata:
    # Header, body and footer numbered as one run of page lines.
    header_lines = split_lines(cleaned.header)
    body = split_lines(cleaned.body, first_index=len(header_lines))
    footer_lines = split_lines(cleaned.footer, first_index=len(header_lines) + len(body))
    page_lines = header_lines + body + footer_lines
    tickers = ticker_lines(page_lines)
    title = find_title(header_lines, page_lines, tickers)
    # Bylines sit in the title block (above or below the title) or right under the article.
    byline_zone = header_lines[-15:] + footer_lines[:5]
    outlet = (
        outlets.outlet_from_dateline(cleaned.body)
        or outlets.outlet_near_title(header_lines, title)
        or outlets.outlet_from_masthead(page_lines, title)
        or outlets.outlet_from_copyright(footer_lines)
        or outlets.outlet_from_url(page.url)
    )
    return Metadata(
        title=title.text if title else None,
        outlet=outlet,
        published=find_published(header_lines + _leading_meta(body), title, footer_lines),
        author=find_author(byline_zone, _title_block(header_lines, title)),
        language=detect_language(cleaned.body),
    )


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), None for too little text."""
    if len(text.strip()) < _MIN_LANGUAGE_CHARS:
        return None
    # The first few thousand characters decide the language as well as the whole body, at a
    # fraction of the cost (py3langid's time grows with the text).
    language, _score = py3langid.classify(text[:_LANGUAGE_SAMPLE_CHARS])
    return str(language)


def _leading_meta(body: list[Line]) -> list[Line]:
    """The short date/byline lines the body starts with (the cleaner keeps a date line that opens the
    article region): they belong to the title block."""
    lead: list[Line] = []
    for line in body[:_LEADING_META_LINES]:
        if not is_meta_line(line):
            break
        lead.append(line)
    return lead


def _title_block(lines: list[Line], title: Line | None) -> list[Line]:
    """The few header lines right under the title, where a byline without "By" stands (menus and
    sidebar headings left out)."""
    if title is None:
        return []
    return [line for line in lines if title.index < line.index <= title.index + _TITLE_BLOCK_LINES
            and not boilerplate.is_chrome(line) and not boilerplate.is_end_heading(line)]

