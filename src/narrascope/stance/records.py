"""What the stance stage returns: each article's stance toward each narrative, with the deciding sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StanceLabel = Literal["reports", "amplifies", "disputes"]
EvidenceRole = Literal["reports", "amplifies", "disputes", "counter"]
STANCES: tuple[StanceLabel, ...] = ("reports", "amplifies", "disputes")


@dataclass(frozen=True)
class StanceEvidence:
    """One sentence that decided a stance; `start`/`end` index the article's body.

    `role` is what the sentence shows: the narrative attributed to someone (reports), asserted in the
    outlet's own voice (amplifies), rebutted in its own voice (disputes), or a counter-voice quoted
    (counter). `claim_id` is set when the sentence is a stored claim.
    """

    article_id: str
    start: int
    end: int
    text: str
    role: EvidenceRole
    reason: str
    similarity: float
    claim_id: str | None = None


@dataclass(frozen=True)
class ArticleStance:
    """An article's stance toward one narrative it carries, and whether it gives counter-claims room."""

    article_id: str
    narrative_id: str
    stance: StanceLabel
    counter_room: bool
    evidence: tuple[StanceEvidence, ...]
