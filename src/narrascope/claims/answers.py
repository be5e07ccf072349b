"""Link a counter-claim to the claim it answers, within one article.

A denial or rebuttal ("the Taliban denies the presence of armed groups", "ISIS has no physical
presence") answers the earlier claim of another speaker that it shares most content words with
("... the presence of ISIS in Afghanistan ..."). Without such a claim no link is made: the denial
may answer something the article does not report.
"""

from __future__ import annotations

import re
from dataclasses import replace

from narrascope.models import Claim
from narrascope.narratives.counter import counter_reason

_MIN_SHARED = 2
_MIN_OVERLAP = 0.3
_STOP_WORDS = (
    "the a an of to in on at for and or but with by from that this these those is are was were be been being "
    "has have had it its their there they them he she his her we our you your not no any all as into about "
    "will would can could should may might must do does did said says"
)
_STOP = frozenset(_STOP_WORDS.split())


def _content_words(text: str) -> set[str]:
    words = {word.lower() for word in re.findall(r"[A-Za-z][\w'-]+", text)}
    return {word.rstrip("s") if len(word) > 4 else word for word in words - _STOP}


def _order(claim: Claim) -> tuple[int, int]:
    """Headline claims come before the body's."""
    return (0 if claim.section == "title" else 1, claim.start)


def link_answers(claims: list[Claim]) -> list[Claim]:
    """Return the claims with `answers_claim_id` set on the counter-claims that answer an earlier one."""
    ordered = sorted(claims, key=_order)
    words = {claim.id: _content_words(claim.text) for claim in ordered}
    answered: dict[str, str] = {}
    for index, claim in enumerate(ordered):
        if counter_reason(claim) is None:
            continue
        best: tuple[float, str] | None = None
        for earlier in ordered[:index]:
            if earlier.speaker == claim.speaker or counter_reason(earlier) is not None:
                continue
            shared = words[claim.id] & words[earlier.id]
            # Share of the denial's own words: a long claim answered by a short denial still links.
            overlap = len(shared) / len(words[claim.id]) if words[claim.id] else 0.0
            if len(shared) >= _MIN_SHARED and overlap >= _MIN_OVERLAP and (best is None or overlap > best[0]):
                best = (overlap, earlier.id)
        if best is not None:
            answered[claim.id] = best[1]
    return [replace(claim, answers_claim_id=answered.get(claim.id)) for claim in claims]
