"""Who a headline's speaker side stands for, and whether it names a speaker at all.

Headlines name a country for the official the body quotes ("...: Russia", "Russia claims ...");
the speaker a reader wants is that official, the first body speaker whose name or role carries
the country. Section labels before a colon ("The Latest: ...", "FIX IS IN: ...") name no one.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from narrascope.claims import cues
from narrascope.claims.people import Registry, Resolved
from narrascope.models import Claim

_PLACE_LABELS = frozenset({"GPE", "NORP", "LOC"})


def _same_place(left: str, right: str) -> bool:
    """Fold a country and its adjective together: "Russia"/"Russian", "China"/"Chinese"."""
    left, right = left.lower(), right.lower()
    if left == right:
        return True
    short, long = sorted((left, right), key=len)
    common = 0
    while common < len(short) and short[common] == long[common]:
        common += 1
    return common >= 4 and common >= len(short) - 1


def representative(place: str, body_claims: list[Claim]) -> Resolved | None:
    """Return the first body speaker whose name or role names `place` ("Russian envoy")."""
    wanted = re.findall(r"\w+", place)
    for claim in body_claims:
        if claim.speaker is None:
            continue
        words = re.findall(r"\w+", f"{claim.speaker} {claim.speaker_role or ''}")
        if wanted and all(any(_same_place(w, word) for word in words) for w in wanted):
            return Resolved(claim.speaker, claim.speaker_kind, claim.speaker_role)
    return None


def is_place(mention: Span) -> bool:
    """Return whether a speaker mention is only a country or nationality ("Russia")."""
    words = [t for t in mention if not t.is_punct and t.pos_ != "DET"]
    return bool(words) and all(t.ent_type_ in _PLACE_LABELS for t in words)


def names_a_speaker(mention: Span, resolved: Resolved, registry: Registry, body_text: str) -> bool:
    """Return whether a headline's speaker side names someone who could have said the claim.

    A person (by entity or by a name the body gives a person), a role ("Russian Defense
    Minister"), a document ("Report") or an organisation or place the body names too.
    """
    if resolved.name is None:
        return False
    if any(ent.label_ == "PERSON" for ent in mention.ents):
        return True
    if any(person.name == resolved.name for person in registry.people):
        return True
    root = mention.root.lemma_.lower()
    if root in cues.ROLE_NOUNS or root in cues.STATEMENT_NOUNS or root in {"report", "source", "poll", "survey"}:
        return True
    named = [ent for ent in mention.ents if ent.label_ in {"ORG", "GPE", "NORP"}]
    return any(ent.text in body_text for ent in named)
