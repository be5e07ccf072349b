"""Counter-claims: denials and rebuttals among the claims of a narrative.

A claim answers the story rather than telling it when its cue is a verb of denial ("the group denies
the presence of ...", "dismissed concerns") or its content denies outright ("X has no presence",
"there is no evidence", "baseless"). The lexicons follow the denial verbs and negated-existence
patterns listed in attribution annotation guides (PARC 3.0, PolNeAR's cue classes).
"""

from __future__ import annotations

import re

from narrascope.models import Claim

_DENIAL_CUES = frozenset({"deny", "dismiss", "reject", "refute", "rebut", "dispute", "contest", "debunk",
                          "disprove", "repudiate", "contradict"})
_DENIAL_CONTENT = re.compile(
    r"\b(?:has|have|had) no\b|\bthere (?:is|are|was|were) no\b|\bno (?:evidence|proof|basis|truth)\b|"
    r"\b(?:baseless|unfounded|groundless|fabricated|false|untrue|lies?|nonsense|propaganda)\b|"
    r"\b(?:is|are|was|were) not true\b|\bnever (?:happened|existed)\b",
    re.I,
)


def cue_lemma(cue: str) -> str:
    """The base form of a cue verb ("denies" -> "deny", "dismissed" -> "dismiss")."""
    word = cue.lower().split()[0] if cue.strip() else ""
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + replacement
            if stem in _DENIAL_CUES or stem + "e" in _DENIAL_CUES:
                return stem if stem in _DENIAL_CUES else stem + "e"
    return word


def counter_reason(claim: Claim) -> str | None:
    """Why this claim is a denial or rebuttal, or None when it is not one."""
    if cue_lemma(claim.cue) in _DENIAL_CUES:
        return f"denial cue '{claim.cue}'"
    match = _DENIAL_CONTENT.search(claim.text)
    if match:
        return f"denies in its words: '{match.group()}'"
    return None
