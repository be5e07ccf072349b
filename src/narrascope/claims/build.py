"""Turn attribution candidates into `Claim` records with resolved speakers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from spacy.tokens import Doc, Span

from narrascope.claims import coref, cues
from narrascope.claims.attribution import Candidate, find_candidates
from narrascope.claims.gender import learn_genders
from narrascope.claims.quotes import Quote, find_quotes, word_count
from narrascope.models import Claim, ClaimSection

_MIN_CONTINUATION_WORDS = 3


def claim_id(article_id: str, section: ClaimSection, start: int, end: int) -> str:
    """Return the content hash that identifies a claim (stable across re-runs)."""
    digest = hashlib.sha256(f"{article_id}|{section}|{start}|{end}".encode()).hexdigest()
    return digest[:16]


def relay_name(span: Span) -> str:
    """Return the outlet's name from a relay phrase ("the state Interfax news agency" -> "Interfax")."""
    for ent in span.ents:
        if ent.label_ == "ORG":
            return coref.clean_name(ent.text)
    # Capitalised words that are not a nationality or country: "Norway's Channel Nine" -> "Channel Nine".
    kept = [
        t.text
        for t in span
        if (t.is_title or t.is_upper)
        and t.ent_type_ not in {"NORP", "GPE"}
        and t.pos_ != "DET"
        and not (t.lower_ in cues.MEDIA_HEADS and not (t.is_upper or (t.i > span.start and span.doc[t.i - 1].is_title)))
    ]
    if kept:
        return " ".join(kept)
    return coref.clean_name(span.text)


def _overlaps(left: tuple[int, int], right: tuple[int, int]) -> bool:
    return min(left[1], right[1]) > max(left[0], right[0])


def _drop_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep one candidate per content span; a direct quote wins over a parse of the same words."""
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (not c.is_direct, c.cue_start)):
        span = (candidate.start, candidate.end)
        clash = False
        for other in kept:
            other_span = (other.start, other.end)
            if span == other_span or (_overlaps(span, other_span) and candidate.is_direct == other.is_direct):
                inner = other.start <= candidate.start and candidate.end <= other.end
                if not (inner and candidate.cue == "according to"):
                    clash = True
                    break
        if not clash:
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.cue_start)


def _apply_relays(doc: Doc, candidates: list[Candidate]) -> list[tuple[Candidate, str | None]]:
    """Fold "X reported that according to Y, C" into Y's claim with X as the cited source."""
    result: list[tuple[Candidate, str | None]] = []
    dropped: set[int] = set()
    relay_of: dict[int, str] = {}
    for outer_index, outer in enumerate(candidates):
        for inner_index, inner in enumerate(candidates):
            if inner.cue != "according to" or inner_index == outer_index:
                continue
            if outer.start <= inner.cue_start < outer.end and outer.mention is not None:
                dropped.add(outer_index)
                relay_of[inner_index] = relay_name(outer.mention)
    for index, candidate in enumerate(candidates):
        if index in dropped:
            continue
        cited = relay_of.get(index)
        if cited is None and candidate.relay is not None:
            cited = relay_name(candidate.relay)
        result.append((candidate, cited))
    return result


def _continuations(quotes: list[Quote], claims: list[Claim], text: str) -> list[Claim]:
    """Extend a direct claim over the quotes that continue it.

    A quote with no cue of its own continues the speaker quoted just before when it sits in
    the same paragraph (``"A," he said. "B."``) or opens the next paragraph after a quote
    left open (the run-on convention). PolNeAR annotates such a quote as one content.
    """
    claims = sorted(claims, key=lambda c: c.start)
    for quote in quotes:
        if any(_overlaps((quote.start, quote.end), (c.start, c.end)) for c in claims):
            continue
        if word_count(text[quote.start : quote.end]) < _MIN_CONTINUATION_WORDS:
            continue
        previous = [i for i, c in enumerate(claims) if c.kind == "direct" and c.end <= quote.start]
        if not previous:
            continue
        index = max(previous, key=lambda i: claims[i].end)
        last = claims[index]
        gap = text[last.end : quote.open_mark]
        if any(last.end <= c.start < quote.start for c in claims):
            continue
        breaks = len(re.findall(r"\n\s*\n", gap))
        is_run_on = breaks == 1 and _PARAGRAPH_END_OPEN.search(gap) is not None
        if breaks == 1 and not is_run_on and _is_whole_paragraph(text, quote):
            # A paragraph that is only a quote, after the speaker's quote: the same voice goes on.
            claims.append(
                replace(
                    last,
                    id=claim_id(last.article_id, "body", quote.start, quote.end),
                    text=text[quote.start : quote.end],
                    start=quote.start,
                    end=quote.end,
                )
            )
            claims.sort(key=lambda c: c.start)
            continue
        if not (breaks == 0 or is_run_on):
            continue
        claims[index] = replace(
            last,
            id=claim_id(last.article_id, "body", last.start, quote.end),
            text=text[last.start : quote.end],
            end=quote.end,
        )
    return claims


def _is_whole_paragraph(text: str, quote: Quote) -> bool:
    """Return whether a quote opens its paragraph and runs to its end."""
    before = text[: quote.open_mark].rstrip(" \t")
    after = text[quote.outer_end :].lstrip(" \t.,")
    return (not before or before.endswith("\n")) and (not after or after.startswith("\n"))


# A run-on quote: the paragraph ends with no closing mark before the blank line.
_PARAGRAPH_END_OPEN = re.compile(r"^[^\"“”«»]*\n\s*\n\s*$")


def build_claims(doc: Doc, article_id: str) -> list[Claim]:
    """Return the claims of a parsed article body."""
    text = doc.text
    quotes = find_quotes(text)
    candidates = _drop_overlaps(find_candidates(doc, quotes))
    registry = coref.build_registry(doc)
    learn_genders(doc, registry)
    registry.quoted = [(quote.open_mark, quote.outer_end) for quote in quotes]
    registry.quoted += [(candidate.start, candidate.end) for candidate in candidates]  # contents: not narration
    claims: list[Claim] = []
    for candidate, cited in _apply_relays(doc, candidates):
        mention = candidate.mention
        if mention is not None:
            resolved = coref.resolve(mention, registry)
        else:  # "Adding: “...”": a cue with no subject goes on with the latest speaker
            resolved = registry.last_speaker or coref.Resolved(None, None, None)
        coref.remember(registry, resolved, candidate.cue_start)
        claims.append(
            Claim(
                id=claim_id(article_id, "body", candidate.start, candidate.end),
                article_id=article_id,
                speaker=resolved.name,
                speaker_mention=mention.text if mention is not None else None,
                speaker_kind=resolved.kind,
                speaker_role=resolved.role,
                cue=candidate.cue,
                text=text[candidate.start : candidate.end],
                kind="direct" if candidate.is_direct else "reported",
                start=candidate.start,
                end=candidate.end,
                cited_source=cited,
            )
        )
    return _dedupe(_continuations(quotes, claims, text))


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """Drop a claim repeated word for word by the same speaker (pages often repeat blocks)."""
    seen: set[tuple[str | None, str]] = set()
    kept: list[Claim] = []
    for claim in claims:
        key = (claim.speaker, " ".join(claim.text.split()))
        if key in seen:
            continue
        seen.add(key)
        kept.append(claim)
    return kept
