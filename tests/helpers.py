"""Builders for records used across tests (built by hand, no models)."""

from __future__ import annotations

from narrascope.ingest import page_from_text
from narrascope.models import Article, Claim, RawPage


def make_page(text: str, source: str = "page.txt") -> RawPage:
    """A text page from a string."""
    return page_from_text(source, text)


def make_article(page: RawPage, body: str, *, published: str | None = None, outlet: str | None = None) -> Article:
    """An article cut from `page` with the given body."""
    return Article(id=page.id, source=page.source, url=None, title="Title", outlet=outlet, published=published,
                   author=None, language="en", body=body, page_text=page.text)


def make_claim(article_id: str, number: int, text: str, speaker: str | None = None) -> Claim:
    """A reported claim spanning `text` at an arbitrary place."""
    return Claim(id=f"{article_id}-{number}", article_id=article_id, speaker=speaker, speaker_mention=speaker,
                 speaker_kind="person" if speaker else None, speaker_role=None, cue="said", text=text,
                 kind="reported", start=0, end=len(text))
