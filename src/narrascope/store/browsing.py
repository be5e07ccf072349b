"""Reads for the web UI, the API and exports: paginated, each answered from an index, with a time limit.

A mixin of `Store` (kept apart so the store's writes and the pipeline's reads stay small and readable).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from narrascope.models import Narrative
from narrascope.store.database import Database, QueryTimeoutError

SEARCH_WINDOW = 1000
# Above this share of all articles, an outlet or language filter walks narratives in sort order instead
# of collecting every matching claim first (which would touch most of the claims table).
BROAD_FILTER_SHARE = 0.02


__all__ = ["BROAD_FILTER_SHARE", "SEARCH_WINDOW", "BrowsingQueries", "QueryTimeoutError"]


class BrowsingQueries:
    """Paginated read queries over a Store's connection."""

    _connection: Database

    # -- reads for the web UI, the API and exports: paginated, each answered from an index ------------

    def _dicts(self, sql: str, parameters: Sequence[object] = ()) -> list[dict[str, Any]]:
        cursor = self._connection.execute(sql, parameters)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def _scalar(self, sql: str, parameters: Sequence[object] = ()) -> Any:
        row = self._connection.execute(sql, parameters).fetchone()
        return None if row is None else row[0]

    @contextmanager
    def query_deadline(self, seconds: float | None) -> Iterator[None]:
        """Abort any query still running `seconds` after entering, raising QueryTimeoutError."""
        if seconds is None:
            yield
            return
        with self._connection.deadline(seconds):
            yield

    def tune_for_reading(self, cache_mib: int = 64, mmap_mib: int = 1024) -> None:
        """A larger page cache and memory-mapped reads, for long-lived read-only connections (the web server)."""
        self._connection.tune_for_reading(cache_mib, mmap_mib)

    def counts(self) -> dict[str, int]:
        """How many pages, articles, claims, speakers, clusters, narratives and rejections are stored."""
        tables = ("pages", "articles", "claims", "speakers", "claim_clusters", "narratives", "rejections")
        row = self._connection.execute(
            "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
        ).fetchone()
        return dict(zip(tables, (int(value) for value in row), strict=True))

    def rejection_rows(self, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Rejected pages, latest first, with reason, message and time."""
        return self._dicts(
            "SELECT source, reason, message, rejected_at FROM rejections ORDER BY rejected_at DESC, source"
            " LIMIT ? OFFSET ?", (limit, offset))

    _NARRATIVE_SORTS: ClassVar[dict[str, str]] = {
        "size": "n.article_count DESC, n.claim_count DESC, n.id DESC",
        "recent": "n.last_seen DESC, n.id DESC",
        "oldest": "n.first_seen, n.id",
    }

    def narrative_rows(
        self, *, sort: str = "size", outlet: str | None = None, speaker_id: str | None = None,
        language: str | None = None, min_articles: int | None = None, since: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int | None]:
        """One page of narratives (JSON columns decoded) and how many match (None: not counted, too broad).

        `min_articles` keeps narratives of at least that many articles, `since` those last seen on or
        after that date (both answered from the size and recency indexes).
        """
        where: list[str] = []
        parameters: list[object] = []
        if min_articles:
            where.append("n.article_count >= ?")
            parameters.append(min_articles)
        if since:
            where.append("n.last_seen >= ?")
            parameters.append(since)
        is_countable = True
        wanted: set[str] | None = None  # narrative ids that pass the selective filters, collected once
        if speaker_id:
            wanted = {row[0] for row in self._connection.execute(
                "SELECT DISTINCT narrative_id FROM claim_links WHERE speaker_id = ? AND narrative_id IS NOT NULL",
                (speaker_id,))}
        for column, value in (("outlet", outlet), ("language", language)):
            if not value:
                continue
            if self._is_broad(column, value):  # e.g. language=en: check narratives one by one, in sort order
                # (CROSS JOIN fixes the loop order: a narrative's few articles first, never all of one language)
                where.append("EXISTS (SELECT 1 FROM json_each(n.article_ids) j CROSS JOIN articles a"
                             f" ON a.id = j.value WHERE a.{column} = ?)")
                parameters.append(value)
                is_countable = False
                continue
            found = {row[0] for row in self._connection.execute(
                "SELECT DISTINCT l.narrative_id FROM articles a JOIN claims c ON c.article_id = a.id"
                f" JOIN claim_links l ON l.claim_id = c.id WHERE a.{column} = ? AND l.narrative_id IS NOT NULL",
                (value,))}
            wanted = found if wanted is None else wanted & found
        if wanted is not None:
            where.insert(0, "n.id IN (SELECT value FROM json_each(?))")
            parameters.insert(0, json.dumps(sorted(wanted)))
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        if not is_countable:
            total = None
        elif wanted is not None and not (min_articles or since):
            total = len(wanted)
        else:
            total = int(self._scalar(f"SELECT count(*) FROM narratives n{clause}", parameters))
        rows = self._dicts(
            "SELECT n.id, n.label, n.key_terms, n.article_count, n.claim_count, n.outlets, n.first_seen,"
            f" n.last_seen FROM narratives n{clause} ORDER BY {self._NARRATIVE_SORTS[sort]} LIMIT ? OFFSET ?",
            [*parameters, limit, offset])
        for row in rows:
            row["key_terms"], row["outlets"] = json.loads(row["key_terms"]), json.loads(row["outlets"])
        return rows, total

    def _is_broad(self, column: str, value: str) -> bool:
        """Whether articles with this outlet or language are a large share of all articles (two index counts)."""
        matching = int(self._scalar(f"SELECT count(*) FROM articles WHERE {column} = ?", (value,)))
        return matching > BROAD_FILTER_SHARE * max(1, int(self._scalar("SELECT max(rowid) FROM articles") or 0))

    def narrative_row(self, narrative_id: str) -> Narrative | None:
        """One narrative by id."""
        found = [n for n in self._narratives_where("WHERE id = ?", (narrative_id,))]
        return found[0] if found else None

    def _narratives_where(self, clause: str, parameters: Sequence[object]) -> list[Narrative]:
        rows = self._connection.execute(
            "SELECT id, label, key_terms, claim_ids, cluster_ids, article_ids, speaker_ids, outlets, first_seen,"
            f" last_seen, representative_claim_id FROM narratives {clause}", parameters)
        return [
            Narrative(id=r[0], label=r[1], key_terms=tuple(json.loads(r[2])), claim_ids=tuple(json.loads(r[3])),
                      cluster_ids=tuple(json.loads(r[4])), article_ids=tuple(json.loads(r[5])),
                      speaker_ids=tuple(json.loads(r[6])), outlets=tuple(json.loads(r[7])), first_seen=r[8],
                      last_seen=r[9], representative_claim_id=r[10])
            for r in rows
        ]

    _CLAIM_DETAIL = (
        "SELECT c.id, c.article_id, c.speaker, c.speaker_mention, c.speaker_kind, c.speaker_role, c.cue, c.text,"
        " c.kind, c.section, c.start, c.\"end\", c.cited_source, c.answers_claim_id, l.speaker_id,"
        " s.name AS speaker_name,"
        " l.cluster_id, l.narrative_id, a.title AS article_title, a.outlet, a.published, a.language, a.url"
        " FROM claims c JOIN articles a ON a.id = c.article_id LEFT JOIN claim_links l ON l.claim_id = c.id"
        " LEFT JOIN speakers s ON s.id = l.speaker_id"
    )

    def claim_rows(
        self, *, narrative_id: str | None = None, article_id: str | None = None, speaker_id: str | None = None,
        claim_ids: Sequence[str] | None = None, limit: int = 500, offset: int = 0, by_date: bool = True,
    ) -> list[dict[str, Any]]:
        """Claims with speaker, cluster, narrative and their article's metadata, oldest first.

        `by_date=False` keeps the order claims were stored in, which needs no sort (for speakers with
        many thousands of claims).
        """
        if claim_ids is not None:
            ids = list(claim_ids)[:limit]
            return self._dicts(f"{self._CLAIM_DETAIL} WHERE c.id IN ({','.join('?' * len(ids))})"
                               " ORDER BY a.published IS NULL, a.published, c.article_id, c.section DESC, c.start", ids)
        if narrative_id is not None:
            clause, value = "c.id IN (SELECT claim_id FROM claim_links WHERE narrative_id = ?)", narrative_id
        elif speaker_id is not None:
            if not by_date:
                return self._dicts(
                    f"{self._CLAIM_DETAIL} WHERE l.speaker_id = ? ORDER BY l.rowid LIMIT ? OFFSET ?",
                    (speaker_id, limit, offset))
            page = [row[0] for row in self._connection.execute(  # sort on narrow rows, then fetch one page
                "SELECT l.claim_id FROM claim_links l JOIN claims c ON c.id = l.claim_id JOIN articles a"
                " ON a.id = c.article_id WHERE l.speaker_id = ? ORDER BY a.published IS NULL, a.published,"
                " c.article_id, c.section DESC, c.start LIMIT ? OFFSET ?", (speaker_id, limit, offset))]
            return self.claim_rows(claim_ids=page, limit=limit)
        elif article_id is not None:
            clause, value = "c.article_id = ?", article_id
        else:
            return self._dicts(f"{self._CLAIM_DETAIL} ORDER BY c.rowid LIMIT ? OFFSET ?", (limit, offset))
        return self._dicts(
            f"{self._CLAIM_DETAIL} WHERE {clause} ORDER BY a.published IS NULL, a.published, c.article_id,"
            " c.section DESC, c.start LIMIT ? OFFSET ?", (value, limit, offset))

    def cluster_rows(self, cluster_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Claim clusters by id (claim ids decoded)."""
        marks = ",".join("?" * len(cluster_ids))
        rows = self._dicts(f"SELECT id, label, claim_ids FROM claim_clusters WHERE id IN ({marks})", cluster_ids)
        for row in rows:
            row["claim_ids"] = json.loads(row["claim_ids"])
        return rows

    def article_rows(
        self, *, outlet: str | None = None, language: str | None = None, limit: int = 50, offset: int = 0,
        with_body: bool = False,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of articles (metadata, and the body if asked), newest first, and how many match."""
        where, parameters = [], []
        for column, value in (("outlet", outlet), ("language", language)):
            if value:
                where.append(f"{column} = ?")
                parameters.append(value)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = int(self._scalar(f"SELECT count(*) FROM articles{clause}", parameters))
        rows = self._dicts(
            f"SELECT id, source, url, title, outlet, published, author, language{', body' if with_body else ''}"
            f" FROM articles{clause}"
            " ORDER BY published DESC LIMIT ? OFFSET ?", [*parameters, limit, offset])
        return rows, total

    def article_row(self, article_id: str) -> dict[str, Any] | None:
        """One article with its page: body, page text, page kind and fetch/ingest times."""
        rows = self._dicts(
            "SELECT a.id, a.source, a.url, a.title, a.outlet, a.published, a.author, a.language, a.body,"
            " p.page_text, p.kind AS page_kind, p.fetched_at, p.ingested_at"
            " FROM articles a JOIN pages p ON p.id = a.id WHERE a.id = ?", (article_id,))
        return rows[0] if rows else None

    def speaker_rows(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """One page of speakers by name, with their claim counts."""
        rows = self._dicts(
            "SELECT s.id, s.name, s.aliases, s.role, s.kind,"
            " (SELECT count(*) FROM claim_links l WHERE l.speaker_id = s.id) AS claims"
            " FROM speakers s ORDER BY s.name LIMIT ? OFFSET ?", (limit, offset))
        for row in rows:
            row["aliases"] = json.loads(row["aliases"])
        return rows, int(self._scalar("SELECT count(*) FROM speakers"))

    def speaker_row(self, speaker_id: str) -> dict[str, Any] | None:
        """One speaker with aliases decoded and claim count."""
        rows = self._dicts(
            "SELECT s.id, s.name, s.aliases, s.role, s.kind,"
            " (SELECT count(*) FROM claim_links l WHERE l.speaker_id = s.id) AS claims FROM speakers s"
            " WHERE s.id = ?", (speaker_id,))
        for row in rows:
            row["aliases"] = json.loads(row["aliases"])
        return rows[0] if rows else None

    def claims_per_month(self, *, outlet: str) -> list[dict[str, Any]]:
        """Claims per month ("YYYY-MM", undated as None) of one outlet (a speaker's: `speaker_profile`)."""
        return self._dicts(
            "SELECT substr(a.published, 1, 7) AS month, count(*) AS claims FROM articles a"
            " JOIN claims c ON c.article_id = a.id WHERE a.outlet = ? GROUP BY month ORDER BY month", (outlet,))

    def outlet_rows(self, *, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """One page of outlets by article count, with first and last publication dates."""
        rows = self._dicts(
            "SELECT outlet AS name, count(*) AS articles, min(published) AS first_published,"
            " max(published) AS last_published FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
            " ORDER BY articles DESC, outlet LIMIT ? OFFSET ?", (limit, offset))
        return rows, int(self._scalar("SELECT count(DISTINCT outlet) FROM articles"))

    def outlet_row(self, name: str) -> dict[str, Any] | None:
        """One outlet's article count, dates and languages."""
        row = self._dicts(
            "SELECT count(*) AS articles, min(published) AS first_published, max(published) AS last_published,"
            " group_concat(DISTINCT language) AS languages FROM articles WHERE outlet = ?", (name,))[0]
        if not row["articles"]:
            return None
        row["name"], row["languages"] = name, sorted((row["languages"] or "").split(",") if row["languages"] else [])
        return row

    def outlet_speakers(self, name: str, limit: int = 20) -> list[dict[str, Any]]:
        """The speakers an outlet quotes most, with claim counts."""
        return self._dicts(
            "SELECT l.speaker_id AS id, s.name, count(*) AS claims FROM articles a"
            " JOIN claims c ON c.article_id = a.id JOIN claim_links l ON l.claim_id = c.id"
            " JOIN speakers s ON s.id = l.speaker_id WHERE a.outlet = ? GROUP BY l.speaker_id, s.name"
            " ORDER BY claims DESC, s.name LIMIT ?", (name, limit))

    def graph_rows(self, narrative_id: str | None = None) -> list[dict[str, Any]]:
        """Claim counts per (speaker, outlet, narrative): the edges of the speaker-outlet-narrative graph."""
        clause = "WHERE l.narrative_id = ?" if narrative_id else ""
        return self._dicts(
            "SELECT l.speaker_id, s.name AS speaker, a.outlet, l.narrative_id, n.label AS narrative,"
            " count(*) AS claims FROM claim_links l JOIN claims c ON c.id = l.claim_id"
            " JOIN articles a ON a.id = c.article_id LEFT JOIN speakers s ON s.id = l.speaker_id"
            f" LEFT JOIN narratives n ON n.id = l.narrative_id {clause}"
            " GROUP BY l.speaker_id, s.name, a.outlet, l.narrative_id, n.label"
            " ORDER BY l.speaker_id, a.outlet, l.narrative_id",  # PostgreSQL's groups come in no set order
            (narrative_id,) if narrative_id else ())

    def search_articles(self, match: str, *, limit: int = 50, offset: int = 0,
                        window: int = SEARCH_WINDOW) -> list[dict[str, Any]]:
        """Articles matching an FTS5 query, best first (bm25), with their bodies for snippets.

        Relevance is ranked among the `window` most recently indexed matches: ranking every match of a
        word found in most articles would cost a bm25 score per article. The page is cut from the ranked
        window before the join: joined first, every row of the window would read its article's body
        (at 1M articles, 1000 bodies from disk for 50 shown). On PostgreSQL the query is read by
        websearch_to_tsquery and ranked by ts_rank.
        """
        if self._connection.dialect == "postgresql":
            return self._dicts(
                "SELECT s.article_id AS id, a.title, a.outlet, a.published, a.language, a.body FROM"
                " (SELECT doc_id, score FROM (SELECT f.rowid AS doc_id, ts_rank(f.search_vector, q) AS score"
                " FROM articles_fts f, websearch_to_tsquery('simple', ?) q WHERE f.search_vector @@ q"
                " ORDER BY f.rowid DESC LIMIT ?) w ORDER BY score DESC, doc_id DESC LIMIT ? OFFSET ?) m"
                " JOIN search_rows s ON s.doc_id = m.doc_id JOIN articles a ON a.id = s.article_id"
                " ORDER BY m.score DESC, m.doc_id DESC", (match, window, limit, offset))
        return self._dicts(
            "SELECT s.article_id AS id, a.title, a.outlet, a.published, a.language, a.body FROM"
            " (SELECT doc_id, rank FROM (SELECT rowid AS doc_id, rank FROM articles_fts WHERE articles_fts MATCH ?"
            " ORDER BY rowid DESC LIMIT ?) ORDER BY rank, doc_id DESC LIMIT ? OFFSET ?) m"
            " JOIN search_rows s ON s.doc_id = m.doc_id JOIN articles a ON a.id = s.article_id"
            " ORDER BY m.rank, m.doc_id DESC", (match, window, limit, offset))

    def warm_search_index(self, budget_bytes: int, stop: Callable[[], bool] = lambda: False) -> int:
        """Read the full-text index once, so that first searches find its pages in the OS page cache.

        pg_prewarm's idea for FTS5: at 1M articles a first search of a word reads its doclist from disk
        (most of a cold search's time), while the index (about 4 GB) fits in memory. The document sizes
        bm25 reads per row come first, then the segment blocks in rowid order (the order FTS5 wrote them,
        so mostly sequential). Stops after `budget_bytes` or when `stop()` says so; returns the bytes read.
        SQLite only (0 on PostgreSQL, which has pg_prewarm itself).
        """
        if self._connection.dialect == "postgresql":
            return 0
        read = 0
        for table, column in (("articles_fts_docsize", "sz"), ("articles_fts_data", "block")):
            # The values are fetched, not measured: length() of a blob is answered without its pages.
            rows = self._connection.execute(f"SELECT {column} FROM {table} ORDER BY rowid")
            for number, (value,) in enumerate(rows):
                read += len(value or b"")
                if read >= budget_bytes or (number % 256 == 0 and stop()):
                    return read
        return read

    def iter_claim_texts(self) -> Iterator[tuple[int, str]]:
        """(rowid, text) of every claim, most recently stored first (for the semantic index)."""
        for row in self._connection.execute("SELECT rowid, text FROM claims ORDER BY rowid DESC"):
            yield int(row[0]), str(row[1])

    def claim_ids_of_rowids(self, rowids: Sequence[int]) -> dict[int, str]:
        """Claim id of each of these rowids (the semantic index keeps rowids, not id strings)."""
        found: dict[int, str] = {}
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._connection.execute(f"SELECT rowid, id FROM claims WHERE rowid IN ({marks})", chunk)
            found.update((int(rowid), str(claim_id)) for rowid, claim_id in rows)
        return found

    def unindexed_articles(self) -> int:
        """How many stored articles full-text search does not cover yet."""
        return int(self._scalar("SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM search_rows)"))
