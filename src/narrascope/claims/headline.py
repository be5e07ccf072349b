"""Headline attributions: "Speaker: claim", "claim: Speaker", "claim, says Speaker", "Speaker says claim".

Headline grammar (AP headline style; the colon form is common in wire and regional outlets):
the speaker side is short (a name, a role or a country), the claim side is a clause. The
speaker is resolved against the people the body names, since headlines use roles.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from narrascope.claims import coref, cues
from narrascope.claims.attribution import find_candidates
from narrascope.claims.build import claim_id
from narrascope.claims.headline_speaker import is_place, names_a_speaker, representative
from narrascope.claims.normalise import parser_text
from narrascope.claims.quotes import find_quotes, word_count
from narrascope.models import Article, Claim

_MAX_SPEAKER_WORDS = 6
_MIN_CLAIM_WORDS = 3
_CUE_WORDS = "|".join(sorted({v + "s" for v in cues.SPEECH_VERBS if not v.endswith(("s", "h"))} | {"says"}))
_SAYS_INSIDE = re.compile(rf"^(?P<speaker>[^\s:][^:]{{1,60}}?)\s+(?P<cue>{_CUE_WORDS})\s+(?P<claim>.+)$", re.IGNORECASE)
_SAYS_AFTER = re.compile(r"^(?P<claim>.+?),\s+(?P<cue>says|said|claims|warns|insists)\s+(?P<speaker>[^,]{2,60})$")


def _looks_like_speaker(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _MAX_SPEAKER_WORDS and text[:1].isupper()


def _split(title: str) -> tuple[int, int, int, int, str] | None:
    """Return (claim start, claim end, speaker start, speaker end, cue) character offsets."""
    match = _SAYS_AFTER.match(title)
    if match:
        return match.start("claim"), match.end("claim"), match.start("speaker"), match.end("speaker"), match["cue"]
    match = _SAYS_INSIDE.match(title)
    if match and _looks_like_speaker(match["speaker"]) and word_count(match["claim"]) >= _MIN_CLAIM_WORDS:
        return match.start("claim"), match.end("claim"), match.start("speaker"), match.end("speaker"), match["cue"]
    colon = title.find(": ")
    if colon <= 0:
        return None
    left, right = title[:colon], title[colon + 2 :]
    right_start = colon + 2
    while right_start < len(title) and title[right_start].isspace():
        right_start += 1
    if _looks_like_speaker(left) and word_count(right) >= _MIN_CLAIM_WORDS:
        return right_start, len(title.rstrip()), 0, colon, ":"
    if _looks_like_speaker(right) and len(right.split()) <= 3 and word_count(left) >= _MIN_CLAIM_WORDS:
        return 0, colon, right_start, len(title.rstrip()), ":"
    return None


def headline_claims(article: Article, nlp: Language, body: Doc, body_claims: list[Claim]) -> list[Claim]:
    """Return the claim a headline attributes, with the speaker resolved from the body."""
    title = article.title or ""
    if not title.strip():
        return []
    registry = coref.build_registry(body)
    for claim in body_claims:
        coref.remember(registry, coref.Resolved(claim.speaker, claim.speaker_kind, claim.speaker_role))
    title_doc = nlp(parser_text(title))
    split = _split(title)
    if split is not None:
        claim_start, claim_end, speaker_start, speaker_end, cue = split
        mention = title_doc.char_span(speaker_start, speaker_end, alignment_mode="expand")
    else:
        candidates = [c for c in find_candidates(title_doc, find_quotes(title)) if c.mention is not None]
        if not candidates:
            return []
        first = candidates[0]
        mention, cue = first.mention, first.cue
        claim_start, claim_end = first.start, first.end
    if mention is None or word_count(title[claim_start:claim_end]) < _MIN_CLAIM_WORDS:
        return []
    resolved = coref.resolve(mention, registry, before=len(body.text))
    speaker_after_claim = split is not None and split[2] > split[0]
    if is_place(mention):
        stands_for = representative(mention.text, body_claims)
        if stands_for is not None:
            resolved = stands_for
        elif speaker_after_claim and cue == ":":
            return []  # "...: Russia" with no Russian speaker in the body: a dateline, not a source
    if not names_a_speaker(mention, resolved, registry, body.text):
        return []
    while claim_end > claim_start and title[claim_end - 1] in " .":
        claim_end -= 1
    return [
        Claim(
            id=claim_id(article.id, "title", claim_start, claim_end),
            article_id=article.id,
            speaker=resolved.name,
            speaker_mention=mention.text,
            speaker_kind=resolved.kind,
            speaker_role=resolved.role,
            cue=cue,
            text=title[claim_start:claim_end],
            kind="reported",
            start=claim_start,
            end=claim_end,
            section="title",
        )
    ]
