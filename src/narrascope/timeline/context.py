"""When and where each statement was made, read from the sentences around its claim.

A claim's date is a date expression in its own sentence outside the quoted words ("said on Friday",
"said in January that ..."), else in the next sentence when that one is about the remarks ("He made
these remarks on Friday (April 26) ..."), else the date found for the same speaker's other claims in
the article. Statements with none are dated by the article itself (`precision="published"`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from narrascope.models import Article, Claim
from narrascope.timeline.dates import DateMention, find_dates
from narrascope.timeline.events import EventMention, assign_events, find_events

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n")
_ABOUT_REMARKS = re.compile(r"\b(?:remarks|comments|statement|words|speech|interview|made th(?:is|ese))\b", re.I)


@dataclass(frozen=True)
class ClaimContext:
    """The date and event of one claim, each with its evidence span in the body (None when unknown)."""

    claim_id: str
    date: str | None
    date_precision: str  # day | month | year | published | unknown
    date_is_flagged: bool
    date_note: str
    date_start: int | None
    date_end: int | None
    event: str | None
    event_start: int | None
    event_end: int | None


def sentence_bounds(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the body."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(body):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(body)))
    return [(s, e) for s, e in bounds if body[s:e].strip()]


def claim_contexts(article: Article, claims: Sequence[Claim]) -> dict[str, ClaimContext]:
    """Date and event of every claim of one article."""
    body = article.body
    sentences = sentence_bounds(body)
    events = assign_events(claims, find_events(body))
    found: dict[str, DateMention] = {}
    for claim in claims:
        if claim.section != "body":
            continue
        mention = _date_near(body, sentences, claim, article.published)
        if mention is not None:
            found[claim.id] = mention
    by_speaker: dict[str, DateMention] = {}
    for claim in claims:
        if claim.id in found and claim.speaker and claim.speaker not in by_speaker:
            by_speaker[claim.speaker] = found[claim.id]
    contexts: dict[str, ClaimContext] = {}
    for claim in claims:
        mention = found.get(claim.id) or by_speaker.get(claim.speaker or "")
        contexts[claim.id] = _context(claim.id, mention, article.published, events.get(claim.id))
    return contexts


def _date_near(
    body: str, sentences: list[tuple[int, int]], claim: Claim, published: str | None
) -> DateMention | None:
    for index, (start, end) in enumerate(sentences):
        if not (start <= claim.start < end or claim.start <= start < claim.end):
            continue
        outside = [m for m in _dates_in(body, start, max(end, claim.end), published)
                   if not (claim.start <= m.start < claim.end)]
        if outside:
            return outside[0]
        if index + 1 < len(sentences):
            next_start, next_end = sentences[index + 1]
            if _ABOUT_REMARKS.search(body[next_start:next_end]):
                following = _dates_in(body, next_start, next_end, published)
                if following:
                    return following[0]
        return None
    return None


def _dates_in(body: str, start: int, end: int, published: str | None) -> list[DateMention]:
    return [DateMention(m.text, m.start + start, m.end + start, m.value, m.precision, m.is_flagged, m.note)
            for m in find_dates(body[start:end], published)]


def _context(
    claim_id: str, mention: DateMention | None, published: str | None, event: EventMention | None
) -> ClaimContext:
    event_fields = (event.text, event.start, event.end) if event else (None, None, None)
    if mention is not None:
        return ClaimContext(claim_id, mention.value, mention.precision, mention.is_flagged, mention.note,
                            mention.start, mention.end, *event_fields)
    if published:
        return ClaimContext(claim_id, published, "published", False, "dated by the article", None, None,
                            *event_fields)
    return ClaimContext(claim_id, None, "unknown", True, "neither the text nor the article gives a date",
                        None, None, *event_fields)
