"""The store (SQLite file or PostgreSQL database): the only module that writes SQL.

Durability: WAL journal with `synchronous=FULL`, so a transaction that returned is on disk even
after a power cut (SQLite's documented guarantee for WAL+FULL); each page is stored with all its
claims in one transaction, so a killed run never leaves an article without its claims.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from narrascope.errors import PageError, StoreError
from narrascope.models import (
    Article,
    Claim,
    ClaimCluster,
    ForeignEvidence,
    GroupChange,
    Narrative,
    RawPage,
    Rejection,
    Speaker,
    SpeakerRole,
)
from narrascope.reuse.passages import SharedPassage
from narrascope.speakers.overrides import Override
from narrascope.stance.records import ArticleStance
from narrascope.store.catalogue import CatalogueTables
from narrascope.store.database import Database, disk_full_error, open_database
from narrascope.store.derived_rows import write_derived
from narrascope.store.dialect import display_target, is_postgres_url
from narrascope.store.exploring import ExploringQueries
from narrascope.store.filesystems import check_local_filesystem
from narrascope.store.incremental import IncrementalTables
from narrascope.store.migrations import migrate
from narrascope.store.stance_rows import read_stances
from narrascope.timeline.context import ClaimContext

_ARTICLE_COLUMNS = "id, source, url, title, outlet, published, author, language, body"
_CLAIM_COLUMNS = (
    "id, article_id, speaker, speaker_mention, speaker_kind, speaker_role, cue, text, kind, start, \"end\", "
    "section, cited_source, answers_claim_id"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(ExploringQueries, CatalogueTables, IncrementalTables):
    """One database holding pages, articles, claims and everything derived from them.

    `path` is an SQLite file, or a `postgresql://` URL (store/postgres.py; same schema, same results).
    """

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.name = display_target(path)
        self.read_only = read_only
        if not is_postgres_url(path):
            check_local_filesystem(path)  # BATTERY.md D8: WAL over NFS/SMB can corrupt the database
        self._connection: Database = open_database(path, read_only=read_only)
        if not read_only:
            try:
                migrate(self._connection)
            except StoreError as error:
                self._connection.close()
                cause = error.__cause__
                full = disk_full_error(path, cause, "the schema cannot be written") if isinstance(
                    cause, sqlite3.Error) else None
                if full is not None:
                    raise full from cause
                raise

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._connection.dialect

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        """One write transaction: all of it is stored, or (on any error, a full disk too) none of it."""
        connection = self._connection
        try:
            connection.begin_write()
            try:
                yield connection
            except BaseException:
                if connection.in_transaction:  # SQLite may already have rolled back (SQLITE_FULL)
                    connection.rollback()
                raise
            connection.commit()
        except sqlite3.Error as error:
            full = disk_full_error(self.path, error, "the database cannot grow")
            if full is None:
                raise
            if connection.in_transaction:
                connection.rollback()
            raise full from error

    # -- writes -----------------------------------------------------------------------------------

    def has_article(self, page_id: str) -> bool:
        """Whether this page was already stored (ids are content hashes)."""
        row = self._connection.execute("SELECT 1 FROM articles WHERE id = ?", (page_id,)).fetchone()
        return row is not None

    def save_article(self, page: RawPage, article: Article, claims: Sequence[Claim]) -> None:
        """Store a page, its article and its claims in one transaction; a no-op if already stored."""
        with self._transaction() as db:
            _insert_article(db, page, article, claims)

    def pages(self) -> Iterator[RawPage]:
        """Every stored page as ingested (for reprocessing after a code or model change)."""
        rows = self._connection.execute(
            "SELECT id, source, kind, page_text, url, fetched_at, encoding, encoding_confidence FROM pages"
            " ORDER BY ingested_at, id"
        ).fetchall()
        for row in rows:
            yield RawPage(id=row[0], source=row[1], kind=row[2], text=row[3], url=row[4], fetched_at=row[5],
                          encoding=row[6], encoding_confidence=row[7])

    def replace_article(self, page: RawPage, article: Article, claims: Sequence[Claim]) -> None:
        """Replace a stored page's article and claims (reprocessing) in one transaction."""
        with self._transaction() as db:
            db.execute("DELETE FROM articles WHERE id = ?", (page.id,))
            _insert_article(db, page, article, claims)

    def record_rejection(self, rejection: Rejection) -> None:
        """Remember why a page was not stored (the latest attempt per source)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO rejections (source, reason, message, rejected_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(source) DO UPDATE SET reason = excluded.reason, message = excluded.message,"
                " rejected_at = excluded.rejected_at",
                # a NUL in a quoted bit of the page would make PostgreSQL refuse the whole row
                (rejection.source, rejection.reason, rejection.message.replace("\x00", "\\x00"), _now()),
            )

    def cached_vectors(self, text_hashes: Sequence[str], model: str) -> dict[str, npt.NDArray[np.float32]]:
        """Vectors already computed with `model` for these text hashes."""
        found: dict[str, npt.NDArray[np.float32]] = {}
        for offset in range(0, len(text_hashes), 500):
            chunk = list(text_hashes[offset:offset + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            )
            for text_hash, blob in rows:
                found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def cache_vectors(self, vectors: dict[str, npt.NDArray[np.float32]], model: str) -> None:
        """Keep vectors computed with `model` so later runs do not embed the same text again."""
        if self.read_only or not vectors:
            return
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO embeddings (text_hash, model, vector) VALUES (?, ?, ?)",
                [(key, model, vector.astype(np.float32).tobytes()) for key, vector in vectors.items()],
            )

    def derived_state(self) -> str | None:
        """Fingerprint of the claims the derived tables were last computed from."""
        row = self._connection.execute("SELECT value FROM derived_state WHERE name = 'claims'").fetchone()
        return None if row is None else str(row[0])

    def replace_derived(
        self,
        speakers: Sequence[Speaker],
        clusters: Sequence[ClaimCluster],
        narratives: Sequence[Narrative],
        links: dict[str, tuple[str | None, str | None, str | None]],
        fingerprint: str,
        contexts: Sequence[ClaimContext] = (),
        reuse: Sequence[SharedPassage] = (),
        duplicates: Sequence[Sequence[str]] = (),
        stances: Sequence[ArticleStance] = (),
        history: Sequence[GroupChange] = (),
        foreign: Sequence[ForeignEvidence] = (),
    ) -> None:
        """Replace everything the global stages derive, in one transaction; `history` is appended, never replaced."""
        with self._transaction() as db:
            write_derived(db, speakers, clusters, narratives, links, fingerprint, contexts=contexts, reuse=reuse,
                          duplicates=duplicates, stances=stances, history=history, foreign=foreign,
                          recorded_at=_now())

    # -- reads ------------------------------------------------------------------------------------

    def articles(self) -> list[Article]:
        """Every stored article, oldest publication first (undated last)."""
        rows = self._connection.execute(
            "SELECT a.id, a.source, a.url, a.title, a.outlet, a.published, a.author, a.language, a.body,"
            " p.page_text FROM articles a JOIN pages p ON p.id = a.id"
            " ORDER BY a.published IS NULL, a.published, a.source"
        )
        return [Article(*row) for row in rows]

    def claims(self) -> list[Claim]:
        """Every stored claim, in article and position order."""
        rows = self._connection.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims ORDER BY article_id, section DESC, start"
        )
        return [
            Claim(id=r[0], article_id=r[1], speaker=r[2], speaker_mention=r[3], speaker_kind=r[4],
                  speaker_role=r[5], cue=r[6], text=r[7], kind=r[8], start=r[9], end=r[10], section=r[11],
                  cited_source=r[12], answers_claim_id=r[13])
            for r in rows
        ]

    def claim_contexts(self) -> dict[str, ClaimContext]:
        """claim id -> when and where the statement was made."""
        rows = self._connection.execute(
            "SELECT claim_id, stated_on, precision, is_flagged, note, date_start, date_end, event, event_start,"
            " event_end FROM claim_context"
        )
        return {r[0]: ClaimContext(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7], r[8], r[9]) for r in rows}

    def add_speaker_override(self, override: Override) -> None:
        """Record an analyst's merge or split; it is re-applied whenever speakers are recomputed."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO speaker_overrides (action, speaker_id, into_id, made_at) VALUES (?, ?, ?, ?)",
                (override.action, override.speaker_id, override.into_id, _now()),
            )

    def speaker_overrides(self) -> list[Override]:
        """Every recorded merge and split, oldest first."""
        rows = self._connection.execute(
            "SELECT action, speaker_id, into_id FROM speaker_overrides ORDER BY number")
        return [Override(*row) for row in rows]

    def text_reuse(self) -> list[SharedPassage]:
        """Every passage two articles share."""
        rows = self._connection.execute(
            "SELECT article_a, start_a, end_a, article_b, start_b, end_b, words, source_id FROM text_reuse"
            " ORDER BY article_a, article_b, start_a"
        )
        return [SharedPassage(*row) for row in rows]

    def stances(self, narrative_id: str | None = None, outlet: str | None = None) -> list[ArticleStance]:
        """Articles' stances toward narratives (of one narrative, one outlet, or all), with their evidence."""
        return read_stances(self._connection, narrative_id, outlet)

    def duplicate_groups(self) -> dict[str, str]:
        """article id -> its near-duplicate group (only articles that have a copy)."""
        return {row[0]: row[1] for row in self._connection.execute("SELECT article_id, group_id FROM duplicate_groups")}

    def claim_links(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        """claim id -> (speaker id, cluster id, narrative id)."""
        rows = self._connection.execute("SELECT claim_id, speaker_id, cluster_id, narrative_id FROM claim_links")
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    def speakers(self) -> list[Speaker]:
        """Every speaker, by name."""
        rows = self._connection.execute("SELECT id, name, aliases, role, kind, roles FROM speakers ORDER BY name")
        return [Speaker(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], _roles_from_json(r[5])) for r in rows]

    def clusters(self) -> list[ClaimCluster]:
        """Every claim cluster."""
        rows = self._connection.execute("SELECT id, label, claim_ids FROM claim_clusters ORDER BY id")
        return [ClaimCluster(r[0], r[1], tuple(json.loads(r[2]))) for r in rows]

    def narratives(self) -> list[Narrative]:
        """Every narrative, largest first."""
        rows = self._connection.execute(
            "SELECT id, label, key_terms, claim_ids, cluster_ids, article_ids, speaker_ids, outlets, first_seen,"
            " last_seen, representative_claim_id FROM narratives"
        ).fetchall()
        narratives = [
            Narrative(id=r[0], label=r[1], key_terms=tuple(json.loads(r[2])), claim_ids=tuple(json.loads(r[3])),
                      cluster_ids=tuple(json.loads(r[4])), article_ids=tuple(json.loads(r[5])),
                      speaker_ids=tuple(json.loads(r[6])), outlets=tuple(json.loads(r[7])), first_seen=r[8],
                      last_seen=r[9], representative_claim_id=r[10])
            for r in rows
        ]
        return sorted(narratives, key=lambda n: (-len(n.article_ids), -len(n.claim_ids), n.id))

    def narrative_history(self, level: str | None = None) -> list[GroupChange]:
        """Recorded splits, merges and dissolutions, oldest first (`level`: cluster or narrative)."""
        rows = self._connection.execute(
            "SELECT recorded_at, level, kind, old_ids, new_ids, claims FROM narrative_history"
            " WHERE ? IS NULL OR level = ? ORDER BY number", (level, level))
        return [GroupChange(r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])), r[5], r[0]) for r in rows]

    def narrative_sentences(self, narrative_id: str | None = None) -> list[ForeignEvidence]:
        """Sentences of other-language pages joined to narratives (all, or one narrative's)."""
        rows = self._connection.execute(
            "SELECT narrative_id, article_id, start, \"end\", claim_id, similarity FROM narrative_sentences"
            " WHERE ? IS NULL OR narrative_id = ? ORDER BY narrative_id, article_id, start",
            (narrative_id, narrative_id))
        return [ForeignEvidence(*row) for row in rows]

    def rejections(self) -> list[Rejection]:
        """Pages that could not be stored, with their reasons."""
        rows = self._connection.execute("SELECT source, reason, message FROM rejections ORDER BY source")
        return [Rejection(*row) for row in rows]

    def sync_search_index(self) -> int:
        """Add articles stored since the last call to the full-text index; returns how many."""
        with self._transaction() as db:
            last = db.execute("SELECT coalesce(max(doc_id), 0) FROM search_rows").fetchone()[0]
            db.execute("INSERT INTO search_rows (article_id) SELECT id FROM articles a"
                       " WHERE NOT EXISTS (SELECT 1 FROM search_rows s WHERE s.article_id = a.id)")
            added = db.execute(
                "INSERT INTO articles_fts (rowid, title, body) SELECT doc_id, title, body FROM search_documents"
                " WHERE doc_id > ?", (last,)).rowcount
        return int(added)

    def seen(self, item: str) -> str | None:
        """The fingerprint `narrascope watch` recorded for an item, or None if it never handled it."""
        row = self._connection.execute("SELECT fingerprint FROM watch_seen WHERE item = ?", (item,)).fetchone()
        return None if row is None else str(row[0])

    def mark_seen(self, item: str, fingerprint: str, outcome: str) -> None:
        """Remember that `narrascope watch` handled an item (called after the item itself was stored)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO watch_seen (item, fingerprint, outcome, seen_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(item) DO UPDATE SET fingerprint = excluded.fingerprint, outcome = excluded.outcome,"
                " seen_at = excluded.seen_at",
                (item, fingerprint, outcome, _now()),
            )

    def integrity_ok(self) -> bool:
        """SQLite's own integrity check; on PostgreSQL, that no claim or article lost its parent row."""
        return self._connection.integrity_ok()


def _roles_from_json(text: str) -> tuple[SpeakerRole, ...]:
    return tuple(SpeakerRole(item["role"], item["first_seen"], item["last_seen"], int(item["claims"]))
                 for item in json.loads(text or "[]"))


def _insert_article(db: Database, page: RawPage, article: Article, claims: Sequence[Claim]) -> None:
    """Insert a page, its article and its claims inside the caller's transaction (no-op if stored)."""
    _refuse_nul(page, article, claims)
    db.execute(
        "INSERT OR IGNORE INTO pages (id, source, kind, url, fetched_at, encoding, encoding_confidence, page_text,"
        " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (page.id, page.source, page.kind, page.url, page.fetched_at, page.encoding, page.encoding_confidence,
         page.text, _now()),
    )
    inserted = db.execute(
        f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article.id, article.source, article.url, article.title, article.outlet, article.published,
         article.author, article.language, article.body),
    ).rowcount
    if inserted:
        db.executemany(
            f"INSERT OR IGNORE INTO claims ({_CLAIM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.id, c.article_id, c.speaker, c.speaker_mention, c.speaker_kind, c.speaker_role, c.cue,
              c.text, c.kind, c.start, c.end, c.section, c.cited_source, c.answers_claim_id) for c in claims],
        )
    db.execute("DELETE FROM rejections WHERE source = ?", (page.source,))


def _refuse_nul(page: RawPage, article: Article, claims: Sequence[Claim]) -> None:
    """PostgreSQL text cannot hold U+0000, so no engine stores it: the page is rejected with a reason
    (stripping it here would shift evidence spans), and both engines hold the same pages (BATTERY.md D10).

    Ingest already drops NUL bytes when it decodes a file (ingest/decode.py), so only pages built by other
    code reach this.
    """
    texts = [("page text", page.text), *((name, value) for name, value in vars(article).items()
                                         if isinstance(value, str))]
    texts += [(f"claim {claim.id}", value) for claim in claims for value in vars(claim).values()
              if isinstance(value, str)]
    for field, value in texts:
        if "\x00" in value:
            raise PageError(page.source, "nul_character",
                            f"{field} holds a NUL (U+0000) character, which PostgreSQL text cannot store; "
                            "remove it before storing")
