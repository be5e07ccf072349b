"""When and where each statement was made, read from the sentences around its claim.

A claim's date is a date expression in its own sentence outside the quoted words ("said on Friday",
"said in January that ..."), else in the next sentence when that one says when the remarks were made
("He made these remarks on Friday (April 26) ..."), else the date of the same speaker's claim just
before it or of the same speaker's other claims at the same event. Statements with none are dated
by the article itself (`precision="published"`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from narrascope.models import Article, Claim
from narrascope.timeline.dates import DateMention, find_dates
from narrascope.timeline.events import EventMention, assign_events, find_events

logger = logging.getLogger(__name__)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n")
# The next sentence dates the statement only when it says when the remarks were made ("He made these
# remarks on Friday", "His words came on ..."), not when it merely discusses them ("his comments suggest").
_ABOUT_REMARKS = re.compile(
    r"\b(?:made (?:these|those|the|his|her|their|this) (?:remarks|comments|statements?)|"
    r"(?:remarks|comments|words|statement) (?:came|were made|was made))\b", re.I)


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


def contexts_or_none(article: Article, claims: Sequence[Claim]) -> dict[str, ClaimContext]:
    """`claim_contexts`, for a stage that reads many articles: an article whose dates or events cannot be
    read is logged by id and left without them (its statements show as undated), and the others go on.
    """
    try:
        return claim_contexts(article, claims)
    except Exception as error:  # one odd page must not stop the refresh of the whole corpus
        logger.warning("article %s (%s): dates and events of its claims not read: %r", article.id, article.source,
                       error)
        return {}


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
    # A claim that follows the same speaker's claim continues that report ("X said in January that ...".
    # then X's quote in the next paragraph), so it shares its date.
    previous: Claim | None = None
    for claim in sorted((c for c in claims if c.section == "body"), key=lambda c: c.start):
        if (claim.id not in found and previous is not None and previous.id in found
                and claim.speaker is not None and claim.speaker == previous.speaker):
            found[claim.id] = found[previous.id]
        previous = claim
    # A speaker's claims made at one event share its date: "said on Friday" dates the quotes that follow.
    at_event: dict[tuple[str, str], DateMention] = {}
    for claim in claims:
        event = events.get(claim.id)
        if claim.id in found and claim.speaker and event is not None:
            at_event.setdefault((claim.speaker, event.text), found[claim.id])
    contexts: dict[str, ClaimContext] = {}
    for claim in claims:
        event = events.get(claim.id)
        mention = found.get(claim.id) or (
            at_event.get((claim.speaker or "", event.text)) if event is not None else None)
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
                following = [m for m in _dates_in(body, next_start, next_end, published) if m.precision == "day"]
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
