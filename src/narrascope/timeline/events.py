"""Events where statements were made: meetings, conferences, summits, interviews.

News names the occasion of a statement with a preposition and an event noun: "during a ... defense
ministers' meeting in Minsk", "speaking at the second ... Conference on Eurasian Security", "on the
sidelines of the summit". A statement is placed at the event its speaker is reported at in the same
article; "at the same meeting" points back to the previous event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from narrascope.models import Claim

_EVENT_NOUNS = (r"meeting|conference|summit|session|forum|assembly|congress|talks|council|rally|briefing|"
                r"press conference|interview|hearing|visit|speech|address|ceremony|parade|symposium|dialogue")
_EVENT = re.compile(
    r"\b(?:at|during|on the sidelines of|addressing|in (?:his|her|their) (?:speech|remarks) (?:at|to))\s+"
    rf"(?P<event>(?:the|a|an)\s+(?:[^.;:\"“”]{{0,140}}?\s)?(?i:{_EVENT_NOUNS})s?\b"
    r"(?:\s+(?:of|on|in|at|with|between)\s+[^.;:,\"“”()]{0,120})?)",
)
_SAME_EVENT = re.compile(rf"\b(?:at|during) the same (?:{_EVENT_NOUNS})\b", re.I)
# A trailing appositive after the place ("in Nur-Sultan, the capital of Kazakhstan") is dropped by
# stopping at the comma; a trailing relative clause or date is cut here.
_TRAILING = re.compile(
    r"\s+(?:(?:on|last|this) (?:mon|tues|wednes|thurs|fri|satur|sun)day|on \d|earlier|which|where|when|that)\b.*$"
)


@dataclass(frozen=True)
class EventMention:
    """An event named in an article body, with its span."""

    text: str
    start: int
    end: int


def find_events(body: str) -> list[EventMention]:
    """Event mentions in order of appearance ("at the same meeting" repeats the previous one)."""
    mentions: list[EventMention] = []
    matches = sorted([(m.start(), m, False) for m in _EVENT.finditer(body)]
                     + [(m.start(), m, True) for m in _SAME_EVENT.finditer(body)], key=lambda item: item[0])
    for _, match, is_back_reference in matches:
        if is_back_reference:
            if mentions:
                previous = mentions[-1]
                mentions.append(EventMention(previous.text, match.start(), match.end()))
            continue
        text = _TRAILING.sub("", match.group("event")).strip()
        if not re.search(r"[A-Z]", text):
            continue  # "during the meeting" with nothing that names it
        start = match.start("event")
        mentions.append(EventMention(text, start, start + len(text)))
    return mentions


def assign_events(claims: Sequence[Claim], events: Sequence[EventMention]) -> dict[str, EventMention]:
    """Place each body claim of one article at an event.

    An event goes to the speaker of the claim nearest to it (within the article), and from there to all of
    that speaker's claims, since a speaker reported at an event is quoted from it throughout the story.
    """
    body_claims = [claim for claim in claims if claim.section == "body" and claim.speaker]
    placed: dict[str, EventMention] = {}
    speaker_event: dict[str, EventMention] = {}
    for event in events:
        nearest = min(body_claims, key=lambda c: _distance(c, event), default=None)
        if nearest is not None and nearest.speaker and nearest.speaker not in speaker_event:
            speaker_event[nearest.speaker] = event
    for claim in claims:
        if claim.speaker in speaker_event:
            placed[claim.id] = speaker_event[claim.speaker]
    return placed


def _distance(claim: Claim, event: EventMention) -> int:
    """How far an event mention is from a claim; statements usually come before "his words came during"."""
    if claim.start <= event.start < claim.end:
        return 0
    if claim.end <= event.start:
        return event.start - claim.end
    return 3 * (claim.start - event.end)  # an event named before the claim ("Speaking at X, she said")
