"""Stance as the CLI, API and web pages show it: plain dicts with the evidence spans and texts."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from narrascope.stance.records import STANCES, ArticleStance

Record = dict[str, Any]


class StanceSource(Protocol):
    """Anything that reads stored stances (the store)."""

    def stances(self, narrative_id: str | None = None, outlet: str | None = None) -> list[ArticleStance]:
        """Stances of one narrative, of one outlet's articles, or all."""
        ...


def stance_record(stance: ArticleStance) -> Record:
    """One article's stance toward one narrative, with the sentences that decided it."""
    return {
        "article_id": stance.article_id, "narrative_id": stance.narrative_id, "stance": stance.stance,
        "counter_room": stance.counter_room,
        "evidence": [{"article_id": e.article_id, "start": e.start, "end": e.end, "text": e.text, "role": e.role,
                      "reason": e.reason, "similarity": e.similarity, "claim_id": e.claim_id}
                     for e in stance.evidence],
    }


def stance_by_narrative(store: StanceSource, narrative_id: str | None = None) -> dict[str, list[Record]]:
    """narrative id -> its articles' stance records."""
    found: dict[str, list[Record]] = {}
    for stance in store.stances(narrative_id):
        found.setdefault(stance.narrative_id, []).append(stance_record(stance))
    return found


def stance_mix(records: list[Record]) -> Record:
    """How many articles report, amplify and dispute, and how many give counter-claims room."""
    mix: Record = {label: sum(1 for r in records if r["stance"] == label) for label in STANCES}
    mix["counter_room"] = sum(1 for r in records if r["counter_room"])
    return mix


def days_between(first: str | None, later: str | None) -> int | None:
    """Days from `first` to `later` (ISO dates), or None when either is unknown."""
    if not first or not later:
        return None
    return (date.fromisoformat(later[:10]) - date.fromisoformat(first[:10])).days
