"""Clean stage: a raw page -> its article body, with the page text above and below it.

Example:
    >>> from narrascope.ingest import page_from_text
    >>> page = page_from_text("p.txt", "Menu\\nHome\\n\\n" + "A sentence of article text goes here, said one. " * 3)
    >>> clean_page(page).body.startswith("A sentence")
    True
"""

from __future__ import annotations

import logging

from narrascope.clean.html import clean_html, nesting_is_truncated
from narrascope.clean.learned import clean_text_learned
from narrascope.clean.markdown import plain_text
from narrascope.clean.text import clean_text
from narrascope.errors import PageError
from narrascope.models import CleanedPage, RawPage

__all__ = ["clean_page", "clean_page_text", "clean_text"]

logger = logging.getLogger(__name__)


def clean_page(page: RawPage) -> CleanedPage:
    """Cut the article body out of a page.

    Args:
        page: a text page (as copied from a browser, printed by w3m or inscriptis) or an HTML page.

    Returns:
        CleanedPage whose body is the article's paragraphs joined by blank lines, each paragraph
        once and in the page's own words (so character spans are evidence); header and footer
        hold the page text above and below it.

    Raises:
        PageError: reason "empty_extraction" when the page holds no article text, "depth_truncated"
            when its elements nest deeper than the HTML parser keeps (libxml2: 255 levels), so part of
            the page would be lost without a trace.
    """
    if page.kind == "html" and nesting_is_truncated(page.text):
        raise PageError(page.source, "depth_truncated", "elements nest more than 255 levels deep; the HTML "
                        "parser (libxml2) drops everything below that depth, so the article would be incomplete")
    cleaned = clean_html(page.text) if page.kind == "html" else clean_page_text(page.text)
    if cleaned is None or not cleaned.body.strip():
        raise PageError(
            page.source,
            "empty_extraction",
            "no article text found (no run of sentence-like paragraphs); check that the file is an "
            "article page and not a menu, a listing or an empty render",
        )
    return cleaned


def clean_page_text(text: str) -> CleanedPage | None:
    """Text mode: the learned line classifier, or the rule cleaner when it has no model or keeps nothing.

    A Markdown rendering (html2text and the like) is first reduced to plain text (clean.markdown).
    """
    text = plain_text(text)
    return clean_text_learned(text) or clean_text(text)
