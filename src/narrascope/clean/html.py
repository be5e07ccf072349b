"""Clean an HTML page with trafilatura (pinned 2.3.1): the best extractor on HTML we measured."""

from __future__ import annotations

import logging

import trafilatura

from narrascope.models import CleanedPage

logger = logging.getLogger(__name__)

_MIN_WORDS = 5
# libxml2 stops building the tree 256 levels down and drops everything below, silently for trafilatura
# (BATTERY.md H5); its error log is the only trace.
_DEPTH_LIMIT_MESSAGE = "Excessive depth in document"


def nesting_is_truncated(html: str) -> bool:
    """Whether libxml2 (through lxml) would drop part of this page because its elements nest too deep."""
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser()
    try:
        lxml_html.document_fromstring(html, parser=parser)
    except (ValueError, TypeError, SyntaxError):  # unparsable: trafilatura reports it as empty_extraction
        return False
    return any(_DEPTH_LIMIT_MESSAGE in entry.message for entry in parser.error_log)


def clean_html(html: str) -> CleanedPage | None:
    """The article body of an HTML page, or None when trafilatura finds none.

    The body is trafilatura's text with one paragraph per line, re-joined by blank lines;
    header and footer are the page rendered as text above and below the body's first and
    last paragraphs (where the metadata heuristics look for a byline or a date).
    """
    extracted: str | None = trafilatura.extract(
        html, output_format="txt", include_comments=False, include_tables=True, include_images=False,
        include_links=False, deduplicate=False,
    )
    if not extracted:
        return None
    paragraphs = _unique([line.strip() for line in extracted.splitlines() if line.strip()])
    if sum(len(paragraph.split()) for paragraph in paragraphs) < _MIN_WORDS:
        # trafilatura's fallbacks return whatever text a page has (a lone menu item): not an article.
        return None
    rendered = _render(html)
    header, footer = _split_around(rendered, paragraphs[0], paragraphs[-1])
    return CleanedPage(body="\n\n".join(paragraphs), header=header, footer=footer)


def _unique(paragraphs: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in paragraphs:
        if paragraph not in seen:
            seen.add(paragraph)
            kept.append(paragraph)
    return kept


def _render(html: str) -> str:
    """All the page's text, one block per line (trafilatura's html2txt keeps no layout, so we use lxml)."""
    try:
        from lxml import html as lxml_html

        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError) as error:  # lxml raises ParserError (a ValueError)
        logger.debug("cannot render page text: %s", error)
        return ""
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    blocks: list[str] = []
    for text in tree.itertext():
        stripped = " ".join(str(text).split())
        if stripped:
            blocks.append(stripped)
    return "\n".join(blocks)


def _split_around(rendered: str, first: str, last: str) -> tuple[str, str]:
    """Page text above the first paragraph and below the last one (all above when not found)."""
    start = rendered.find(first[:60])
    if start < 0:
        return rendered, ""
    end_at = rendered.rfind(last[-60:])
    end = end_at + len(last[-60:]) if end_at >= start else start
    return rendered[:start].rstrip(), rendered[end:].strip()
