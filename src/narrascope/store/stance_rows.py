"""Stance rows: written with the other derived tables, read back with their evidence text from the body."""

from __future__ import annotations

import json
from collections.abc import Sequence

from narrascope.stance.records import ArticleStance, StanceEvidence
from narrascope.store.database import Database


def write_stances(db: Database, stances: Sequence[ArticleStance]) -> None:
    """Insert stances (the caller deleted the old ones in the same transaction)."""
    db.executemany(
        "INSERT INTO article_stance (article_id, narrative_id, stance, counter_room, evidence) VALUES (?, ?, ?, ?, ?)",
        [(s.article_id, s.narrative_id, s.stance, int(s.counter_room),
          json.dumps([{"start": e.start, "end": e.end, "role": e.role, "reason": e.reason,
                       "similarity": e.similarity, "claim_id": e.claim_id} for e in s.evidence]))
         for s in stances],
    )


def read_stances(
    db: Database, narrative_id: str | None = None, outlet: str | None = None
) -> list[ArticleStance]:
    """Stored stances (of one narrative, of one outlet's articles, or all), evidence text cut from the body."""
    conditions = [(column, value) for column, value in (("s.narrative_id", narrative_id), ("a.outlet", outlet))
                  if value is not None]
    where = ("WHERE " + " AND ".join(f"{column} = ?" for column, _ in conditions)) if conditions else ""
    params = tuple(value for _, value in conditions)
    rows = db.execute(
        "SELECT s.article_id, s.narrative_id, s.stance, s.counter_room, s.evidence, a.body FROM article_stance s"
        f" JOIN articles a ON a.id = s.article_id {where} ORDER BY s.narrative_id, s.article_id", params)
    return [
        ArticleStance(article_id, narrative, stance, bool(room), tuple(
            StanceEvidence(article_id, e["start"], e["end"], body[e["start"]:e["end"]], e["role"], e["reason"],
                           e["similarity"], e["claim_id"]) for e in json.loads(evidence)))
        for article_id, narrative, stance, room, evidence, body in rows
    ]
