"""The rows of the global stages' tables, written as a whole in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from narrascope.models import ClaimCluster, ForeignEvidence, GroupChange, Narrative, Speaker, SpeakerRole
from narrascope.reuse.passages import SharedPassage
from narrascope.stance.records import ArticleStance
from narrascope.store.database import Database
from narrascope.store.stance_rows import write_stances
from narrascope.timeline.context import ClaimContext


def roles_json(roles: Sequence[SpeakerRole]) -> str:
    """A speaker's roles with their dates as the JSON the speakers table keeps."""
    return json.dumps([{"role": r.role, "first_seen": r.first_seen, "last_seen": r.last_seen, "claims": r.claims}
                       for r in roles])


def write_derived(
    db: Database,
    speakers: Sequence[Speaker],
    clusters: Sequence[ClaimCluster],
    narratives: Sequence[Narrative],
    links: dict[str, tuple[str | None, str | None, str | None]],
    fingerprint: str,
    *,
    contexts: Sequence[ClaimContext],
    reuse: Sequence[SharedPassage],
    duplicates: Sequence[Sequence[str]],
    stances: Sequence[ArticleStance],
    history: Sequence[GroupChange],
    foreign: Sequence[ForeignEvidence],
    recorded_at: str,
) -> None:
    """Replace every derived table's rows; append `history` (kept across runs) with its old-id index."""
    for table in ("claim_links", "speakers", "claim_clusters", "narratives", "claim_context", "text_reuse",
                  "duplicate_groups", "article_stance", "narrative_sentences"):
        db.execute(f"DELETE FROM {table}")
    db.executemany(
        "INSERT INTO speakers (id, name, aliases, role, kind, roles) VALUES (?, ?, ?, ?, ?, ?)",
        [(s.id, s.name, json.dumps(list(s.aliases)), s.role, s.kind, roles_json(s.roles)) for s in speakers],
    )
    db.executemany(
        "INSERT INTO claim_clusters (id, label, claim_ids) VALUES (?, ?, ?)",
        [(c.id, c.label, json.dumps(list(c.claim_ids))) for c in clusters],
    )
    db.executemany(
        "INSERT INTO narratives (id, label, key_terms, representative_claim_id, claim_ids, cluster_ids,"
        " article_ids, speaker_ids, outlets, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(n.id, n.label, json.dumps(list(n.key_terms)), n.representative_claim_id,
          json.dumps(list(n.claim_ids)), json.dumps(list(n.cluster_ids)), json.dumps(list(n.article_ids)),
          json.dumps(list(n.speaker_ids)), json.dumps(list(n.outlets)), n.first_seen, n.last_seen)
         for n in narratives],
    )
    db.executemany(
        "INSERT INTO claim_links (claim_id, speaker_id, cluster_id, narrative_id) VALUES (?, ?, ?, ?)",
        [(claim_id, *link) for claim_id, link in links.items()],
    )
    db.executemany(
        "INSERT INTO claim_context (claim_id, stated_on, precision, is_flagged, note, date_start, date_end,"
        " event, event_start, event_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.claim_id, c.date, c.date_precision, int(c.date_is_flagged), c.date_note, c.date_start,
          c.date_end, c.event, c.event_start, c.event_end) for c in contexts],
    )
    db.executemany(
        "INSERT INTO text_reuse (article_a, start_a, end_a, article_b, start_b, end_b, words, source_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.article_a, p.start_a, p.end_a, p.article_b, p.start_b, p.end_b, p.words, p.source_id)
         for p in reuse],
    )
    db.executemany(
        "INSERT INTO duplicate_groups (article_id, group_id) VALUES (?, ?)",
        [(article_id, group[0]) for group in duplicates for article_id in group],
    )
    write_stances(db, stances)
    db.executemany(
        "INSERT INTO narrative_sentences (narrative_id, article_id, start, \"end\", claim_id, similarity)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(e.narrative_id, e.article_id, e.start, e.end, e.claim_id, e.similarity) for e in foreign],
    )
    for change in history:
        number = db.execute(
            "INSERT INTO narrative_history (recorded_at, level, kind, old_ids, new_ids, claims)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING number",
            (recorded_at, change.level, change.kind, json.dumps(list(change.old_ids)),
             json.dumps(list(change.new_ids)), change.claims)).fetchone()[0]
        db.executemany("INSERT INTO narrative_history_ids (old_id, number) VALUES (?, ?)",
                       [(old_id, number) for old_id in sorted(set(change.old_ids))])
    db.execute(
        "INSERT INTO derived_state (name, value) VALUES ('claims', ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (fingerprint,),
    )
