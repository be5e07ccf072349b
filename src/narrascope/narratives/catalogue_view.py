"""Known narratives (a user's catalogue) matched against stored articles, with evidence spans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from narrascope.models import Article, Claim
from narrascope.narratives.catalogue import Catalogue, EmbedFunction, match_article
from narrascope.timeline.context import sentence_bounds


def catalogue_matches(
    articles: Sequence[Article], claims: Sequence[Claim], catalogue: Catalogue, embed: EmbedFunction
) -> list[dict[str, Any]]:
    """For each article, the catalogue entries it carries, each with confidence and evidence spans.

    An article is read through its title and its claims; an article without claims through its body's
    sentences. Every piece of evidence names the field (`title` or `body`), the span and the claim.
    """
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.section == "body":
            by_article.setdefault(claim.article_id, []).append(claim)
    records: list[dict[str, Any]] = []
    for article in articles:
        pieces: list[tuple[str, str, int, int, str | None]] = []  # text, field, start, end, claim id
        if article.title:
            pieces.append((article.title, "title", 0, len(article.title), None))
        own = by_article.get(article.id, [])
        if own:
            pieces.extend((c.text, "body", c.start, c.end, c.id) for c in own)
        else:
            pieces.extend((article.body[s:e], "body", s, e, None) for s, e in sentence_bounds(article.body))
        matches = match_article([p[0] for p in pieces], catalogue, embed) if pieces else []
        if not matches:
            continue
        records.append({
            "article_id": article.id, "title": article.title, "outlet": article.outlet,
            "published": article.published,
            "matches": [{
                "name": match.name, "confidence": round(match.confidence, 3),
                "evidence": [{
                    "field": pieces[e.text_index][1], "start": pieces[e.text_index][2],
                    "end": pieces[e.text_index][3], "claim_id": pieces[e.text_index][4], "passage": e.passage,
                    "probe": e.probe, "probe_kind": e.probe_kind, "similarity": round(e.similarity, 3),
                    "via": e.via,
                } for e in sorted(match.evidence, key=lambda e: -e.similarity)],
            } for match in matches],
        })
    return records
