"""Claims read from hand-written bodies by the real spaCy pipeline, each span checked against its text."""

from __future__ import annotations

from spacy.language import Language

from narrascope.claims import extract_claims
from narrascope.models import Article, Claim


def article(body: str, title: str | None = None) -> Article:
    return Article("a1", "test", None, title, None, None, None, "en", body, body)


def claims_of(nlp: Language, body: str, title: str | None = None) -> list[Claim]:
    result = extract_claims(article(body, title), nlp)
    for claim in result:
        source = body if claim.section == "body" else title or ""
        assert source[claim.start : claim.end] == claim.text
    return result


def only(claims: list[Claim], fragment: str) -> Claim:
    found = [c for c in claims if fragment in c.text]
    assert len(found) == 1, [c.text for c in claims]
    return found[0]
