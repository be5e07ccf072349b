"""Page -> article (clean + metadata), kept in a light module so a parser worker process imports little."""

from __future__ import annotations

from narrascope.clean import clean_page
from narrascope.metadata import extract_metadata
from narrascope.models import Article, RawPage


def build_article(page: RawPage) -> Article:
    """Clean a page and read its metadata.

    Raises:
        PageError: the page holds no article (`empty_extraction`).
    """
    cleaned = clean_page(page)
    metadata = extract_metadata(page, cleaned)
    return Article(
        id=page.id, source=page.source, url=page.url, title=metadata.title, outlet=metadata.outlet,
        published=metadata.published, author=metadata.author, language=metadata.language,
        body=cleaned.body, page_text=page.text,
    )
