"""What the incremental refresh reads and writes (migration 0017), a mixin of `Store`.

Reads go by id (chunked IN lists), so their cost follows the new pages, not the corpus; the writes of
one refresh (new links, grown and new groups, signatures, history) are one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np

from narrascope.models import Article, Claim, ClaimCluster, GroupChange, Narrative, Speaker
from narrascope.narratives.incremental import StoredLink
from narrascope.reuse.incremental import Signature, SignedArticle
from narrascope.reuse.passages import SharedPassage
from narrascope.store.database import Database
from narrascope.store.derived_rows import roles_json
from narrascope.timeline.context import ClaimContext

_CHUNK = 500
_CLAIMS = ("SELECT c.id, c.article_id, c.speaker, c.speaker_mention, c.speaker_kind, c.speaker_role, c.cue, c.text,"
           " c.kind, c.start, c.\"end\", c.section, c.cited_source, c.answers_claim_id FROM claims c")
_ARTICLES = ("SELECT a.id, a.source, a.url, a.title, a.outlet, a.published, a.author, a.language, a.body, ''"
             " FROM articles a")


@dataclass(frozen=True)
class IncrementalWrite:
    """Everything one incremental refresh changes."""

    speakers: Sequence[Speaker]  # new or changed, whole rows
    new_speaker_ids: frozenset[str]
    clusters: Sequence[ClaimCluster]  # new or grown
    new_cluster_ids: set[str]
    narratives: Sequence[Narrative]  # new or grown
    new_narrative_ids: set[str]
    links: dict[str, tuple[str | None, str | None, str | None]]  # new claims
    narrative_of_stored_claim: dict[str, str]  # stored claims whose cluster joined a narrative
    contexts: Sequence[ClaimContext]
    signed: Sequence[SignedArticle]
    duplicates: dict[str, str]  # article id -> group id (new articles and stored ones newly grouped)
    reuse: Sequence[SharedPassage]
    history: Sequence[GroupChange]
    fingerprint: str
    marker: dict[str, Any]


def _claim(row: Sequence[Any]) -> Claim:
    return Claim(id=row[0], article_id=row[1], speaker=row[2], speaker_mention=row[3], speaker_kind=row[4],
                 speaker_role=row[5], cue=row[6], text=row[7], kind=row[8], start=row[9], end=row[10],
                 section=row[11], cited_source=row[12], answers_claim_id=row[13])


class IncrementalTables:
    """Reads by id and the one-transaction write of an incremental refresh."""

    _connection: Database

    def _transaction(self) -> AbstractContextManager[Database]:  # provided by Store
        raise NotImplementedError

    def _chunks(self, sql: str, ids: Sequence[str]) -> Iterator[Any]:
        unique = sorted(set(ids))
        for offset in range(0, len(unique), _CHUNK):
            chunk = unique[offset:offset + _CHUNK]
            yield from self._connection.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def incremental_marker(self) -> dict[str, Any] | None:
        """What the last full or incremental refresh recorded for the next incremental one."""
        row = self._connection.execute("SELECT value FROM derived_state WHERE name = 'incremental'").fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def covered_counts(self) -> tuple[int, int]:
        """(articles with a signature, claims with a link): what the derived tables cover now."""
        row = self._connection.execute(
            "SELECT (SELECT count(*) FROM article_signatures), (SELECT count(*) FROM claim_links)").fetchone()
        return int(row[0]), int(row[1])

    def uncovered_articles(self) -> list[Article]:
        """Articles no refresh has placed yet, oldest publication first (as `articles()`)."""
        rows = self._connection.execute(
            _ARTICLES + " WHERE NOT EXISTS (SELECT 1 FROM article_signatures s WHERE s.article_id = a.id)"
            " ORDER BY a.published IS NULL, a.published, a.source")
        return [Article(*row) for row in rows]

    def claims_of_articles(self, article_ids: Sequence[str]) -> list[Claim]:
        """The claims of these articles, in article and position order."""
        claims = [_claim(row) for row in self._chunks(_CLAIMS + " WHERE c.article_id IN ({marks})", article_ids)]
        claims.sort(key=lambda c: c.start)  # then section descending, then article: `Store.claims()` order
        claims.sort(key=lambda c: c.section, reverse=True)
        claims.sort(key=lambda c: c.article_id)
        return claims

    def covered_claim_texts(self) -> Iterator[tuple[str, str]]:
        """(id, text) of every claim the derived tables hold a link for."""
        yield from self._connection.execute(
            "SELECT c.id, c.text FROM claims c JOIN claim_links l ON l.claim_id = c.id ORDER BY c.rowid")

    def links_of(self, claim_ids: Sequence[str]) -> dict[str, StoredLink]:
        """Where each of these stored claims sits."""
        return {row[0]: StoredLink(*row[1:]) for row in self._chunks(
            "SELECT l.claim_id, c.article_id, l.speaker_id, l.cluster_id, l.narrative_id FROM claim_links l"
            " JOIN claims c ON c.id = l.claim_id WHERE l.claim_id IN ({marks})", claim_ids)}

    def clusters_by_id(self, cluster_ids: Sequence[str]) -> dict[str, ClaimCluster]:
        """These claim clusters."""
        return {r[0]: ClaimCluster(r[0], r[1], tuple(json.loads(r[2]))) for r in self._chunks(
            "SELECT id, label, claim_ids FROM claim_clusters WHERE id IN ({marks})", cluster_ids)}

    def narratives_by_id(self, narrative_ids: Sequence[str]) -> dict[str, Narrative]:
        """These narratives."""
        rows = self._chunks(
            "SELECT id, label, key_terms, claim_ids, cluster_ids, article_ids, speaker_ids, outlets, first_seen,"
            " last_seen, representative_claim_id FROM narratives WHERE id IN ({marks})", narrative_ids)
        return {r[0]: Narrative(id=r[0], label=r[1], key_terms=tuple(json.loads(r[2])),
                                claim_ids=tuple(json.loads(r[3])), cluster_ids=tuple(json.loads(r[4])),
                                article_ids=tuple(json.loads(r[5])), speaker_ids=tuple(json.loads(r[6])),
                                outlets=tuple(json.loads(r[7])), first_seen=r[8], last_seen=r[9],
                                representative_claim_id=r[10]) for r in rows}

    def claims_by_id(self, claim_ids: Sequence[str]) -> dict[str, Claim]:
        """These claims."""
        return {row[0]: _claim(row) for row in self._chunks(_CLAIMS + " WHERE c.id IN ({marks})", claim_ids)}

    def articles_by_id(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """These articles (page text left empty)."""
        return {row[0]: Article(*row) for row in self._chunks(_ARTICLES + " WHERE a.id IN ({marks})", article_ids)}

    def duplicate_group_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article id -> its near-duplicate group, for those of these articles that have one."""
        return {row[0]: row[1] for row in self._chunks(
            "SELECT article_id, group_id FROM duplicate_groups WHERE article_id IN ({marks})", article_ids)}

    def band_members(self, band_keys: set[int]) -> list[tuple[int, str, Signature]]:
        """(band key, article id, signature) of the stored articles in these LSH bands."""
        keys = sorted(band_keys)
        found: list[tuple[int, str, Signature]] = []
        for offset in range(0, len(keys), _CHUNK):
            chunk = keys[offset:offset + _CHUNK]
            rows = self._connection.execute(
                "SELECT b.band_key, s.article_id, s.signature FROM signature_bands b JOIN article_signatures s"
                f" ON s.number = b.number WHERE b.band_key IN ({','.join('?' * len(chunk))})", chunk)
            found += [(int(key), article_id, np.frombuffer(blob, dtype=np.uint32)) for key, article_id, blob in rows]
        return found

    def record_incremental_base(self, signed: Sequence[SignedArticle], marker: dict[str, Any]) -> None:
        """After a full refresh: every article's signature, and the marker that allows incremental ones."""
        with self._transaction() as db:
            db.execute("DELETE FROM signature_bands")
            db.execute("DELETE FROM article_signatures")
            _insert_signatures(db, signed)
            _set_state(db, "incremental", json.dumps(marker))

    def write_incremental(self, change: IncrementalWrite, recorded_at: str, previous: str) -> bool:
        """Apply one incremental refresh in one transaction: all of it, or (killed, failed) none of it.

        Returns False, writing nothing, when another refresh changed the derived state since `previous`
        was read (two ingests at once): the caller places what is still new against the new state.
        """
        with self._transaction() as db:
            row = db.execute("SELECT value FROM derived_state WHERE name = 'claims'").fetchone()
            if row is None or row[0] != previous:
                return False
            new_speakers = [s for s in change.speakers if s.id in change.new_speaker_ids]
            db.executemany("INSERT INTO speakers (id, name, aliases, role, kind, roles) VALUES (?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT(id) DO NOTHING",  # an id a stored speaker has: its claims link to it
                           [(s.id, s.name, json.dumps(list(s.aliases)), s.role, s.kind, roles_json(s.roles))
                            for s in new_speakers])
            db.executemany("UPDATE speakers SET aliases = ?, role = ?, roles = ? WHERE id = ?",
                           [(json.dumps(list(s.aliases)), s.role, roles_json(s.roles), s.id)
                            for s in change.speakers if s.id not in change.new_speaker_ids])
            db.executemany("INSERT INTO claim_clusters (id, label, claim_ids) VALUES (?, ?, ?)",
                           [(c.id, c.label, json.dumps(list(c.claim_ids))) for c in change.clusters
                            if c.id in change.new_cluster_ids])
            db.executemany("UPDATE claim_clusters SET claim_ids = ? WHERE id = ?",
                           [(json.dumps(list(c.claim_ids)), c.id) for c in change.clusters
                            if c.id not in change.new_cluster_ids])
            _write_narratives(db, change)
            db.executemany("INSERT INTO claim_links (claim_id, speaker_id, cluster_id, narrative_id)"
                           " VALUES (?, ?, ?, ?)", [(claim_id, *link) for claim_id, link in change.links.items()])
            db.executemany("UPDATE claim_links SET narrative_id = ? WHERE claim_id = ?",
                           [(n, c) for c, n in change.narrative_of_stored_claim.items()])
            db.executemany(
                "INSERT INTO claim_context (claim_id, stated_on, precision, is_flagged, note, date_start, date_end,"
                " event, event_start, event_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(c.claim_id, c.date, c.date_precision, int(c.date_is_flagged), c.date_note, c.date_start,
                  c.date_end, c.event, c.event_start, c.event_end) for c in change.contexts])
            db.executemany("INSERT INTO duplicate_groups (article_id, group_id) VALUES (?, ?)"
                           " ON CONFLICT(article_id) DO NOTHING", list(change.duplicates.items()))
            db.executemany(
                "INSERT INTO text_reuse (article_a, start_a, end_a, article_b, start_b, end_b, words, source_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.article_a, p.start_a, p.end_a, p.article_b, p.start_b, p.end_b, p.words, p.source_id)
                 for p in change.reuse])
            _insert_signatures(db, change.signed)
            for item in change.history:
                db.execute("INSERT INTO narrative_history (recorded_at, level, kind, old_ids, new_ids, claims)"
                           " VALUES (?, ?, ?, ?, ?, ?)", (recorded_at, item.level, item.kind,
                                                          json.dumps(list(item.old_ids)),
                                                          json.dumps(list(item.new_ids)), item.claims))
            _set_state(db, "claims", change.fingerprint)
            _set_state(db, "incremental", json.dumps(change.marker))
        return True


def _write_narratives(db: Database, change: IncrementalWrite) -> None:
    rows = [(json.dumps(list(n.claim_ids)), json.dumps(list(n.cluster_ids)), json.dumps(list(n.article_ids)),
             json.dumps(list(n.speaker_ids)), json.dumps(list(n.outlets)), n.first_seen, n.last_seen, n.id)
            for n in change.narratives]
    db.executemany(
        "INSERT INTO narratives (claim_ids, cluster_ids, article_ids, speaker_ids, outlets, first_seen, last_seen,"
        " id, label, key_terms, representative_claim_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, n.label, json.dumps(list(n.key_terms)), n.representative_claim_id)
         for row, n in zip(rows, change.narratives, strict=True) if n.id in change.new_narrative_ids])
    db.executemany(
        "UPDATE narratives SET claim_ids = ?, cluster_ids = ?, article_ids = ?, speaker_ids = ?, outlets = ?,"
        " first_seen = ?, last_seen = ? WHERE id = ?",
        [row for row, n in zip(rows, change.narratives, strict=True) if n.id not in change.new_narrative_ids])


def _insert_signatures(db: Database, signed: Sequence[SignedArticle]) -> None:
    for article in signed:
        number = db.execute("INSERT INTO article_signatures (article_id, signature) VALUES (?, ?) RETURNING number",
                            (article.article_id, article.signature.tobytes())).fetchone()[0]
        db.executemany("INSERT OR IGNORE INTO signature_bands (band_key, number) VALUES (?, ?)",
                       [(key, number) for key in article.band_keys])


def _set_state(db: Database, name: str, value: str) -> None:
    db.execute("INSERT INTO derived_state (name, value) VALUES (?, ?)"
               " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (name, value))
