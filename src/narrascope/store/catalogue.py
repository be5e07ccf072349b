"""The stored catalogue of known narratives and what it matched (migration 0007), a mixin of `Store`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from narrascope.models import Article, Claim
from narrascope.store.database import Database

if TYPE_CHECKING:
    from narrascope.narratives.catalogue import Catalogue


class CatalogueTables:
    """Save, read and page through the catalogue, its entries and their matched articles."""

    _connection: Database

    def _rows(self, sql: str, parameters: Sequence[object] = ()) -> list[dict[str, Any]]:
        cursor = self._connection.execute(sql, parameters)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def save_catalogue(self, text: str, text_format: str, catalogue: Catalogue, matches: Sequence[dict[str, Any]],
                       *, model: str, articles_read: int, articles_total: int) -> None:
        """Replace the catalogue, its entries and its matches in one transaction.

        `matches` are `catalogue_matches` records (one per article, each with its matched entries).
        """
        now = datetime.now(UTC).isoformat(timespec="seconds")
        db = self._connection
        db.execute("BEGIN IMMEDIATE")
        try:
            for table in ("catalogue_matches", "catalogue_entries", "catalogue"):
                db.execute(f"DELETE FROM {table}")
            db.execute(
                "INSERT INTO catalogue (id, text, format, threshold, model, updated_at, matched_at, matched_model,"
                " articles_read, articles_total) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (text, text_format, catalogue.threshold, catalogue.model, now, now, model, articles_read,
                 articles_total))
            db.executemany(
                "INSERT INTO catalogue_entries (position, name, description, examples, parent) VALUES (?, ?, ?, ?, ?)",
                [(number, entry.name, entry.description, json.dumps(list(entry.examples)), entry.parent)
                 for number, entry in enumerate(catalogue.entries, start=1)])
            db.executemany(
                "INSERT INTO catalogue_matches (name, article_id, confidence, evidence) VALUES (?, ?, ?, ?)",
                [(match["name"], record["article_id"], match["confidence"], json.dumps(match["evidence"]))
                 for record in matches for match in record["matches"]])
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def catalogue_row(self) -> dict[str, Any] | None:
        """The stored catalogue's text, format, threshold and when it was matched; None if there is none."""
        rows = self._rows("SELECT text, format, threshold, model, updated_at, matched_at, matched_model,"
                          " articles_read, articles_total FROM catalogue WHERE id = 1")
        return rows[0] if rows else None

    def catalogue_entry_rows(self, *, name: str | None = None, limit: int = -1,
                             offset: int = 0) -> list[dict[str, Any]]:
        """Entries in file order (or the one called `name`), each with its matched articles and best confidence."""
        rows = self._rows(
            "SELECT e.name, e.description, e.examples, e.parent,"
            " (SELECT count(*) FROM catalogue_matches m WHERE m.name = e.name) AS articles,"
            " (SELECT max(confidence) FROM catalogue_matches m WHERE m.name = e.name) AS best"
            f" FROM catalogue_entries e {'WHERE e.name = ?' if name is not None else ''}"
            " ORDER BY e.position LIMIT ? OFFSET ?", ([name] if name is not None else []) + [limit, offset])
        for row in rows:
            row["examples"] = json.loads(row["examples"])
        return rows

    def catalogue_entry_row(self, name: str) -> dict[str, Any] | None:
        """One entry by name, with its article count."""
        rows = self.catalogue_entry_rows(name=name)
        return rows[0] if rows else None

    def catalogue_entry_count(self) -> int:
        """How many entries the stored catalogue has."""
        return int(self._connection.execute("SELECT count(*) FROM catalogue_entries").fetchone()[0])

    def catalogue_match_rows(self, name: str, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """One page of the articles an entry matched, most confident first, with evidence decoded."""
        rows = self._rows(
            "SELECT m.article_id, m.confidence, m.evidence, a.title, a.outlet, a.published FROM catalogue_matches m"
            " JOIN articles a ON a.id = m.article_id WHERE m.name = ? ORDER BY m.confidence DESC, m.article_id"
            " LIMIT ? OFFSET ?", (name, limit, offset))
        for row in rows:
            row["evidence"] = json.loads(row["evidence"])
        return rows

    def article_catalogue_matches(self, article_id: str) -> list[dict[str, Any]]:
        """The catalogue entries one article matched, most confident first."""
        rows = self._rows("SELECT name, confidence, evidence FROM catalogue_matches WHERE article_id = ?"
                          " ORDER BY confidence DESC, name", (article_id,))
        for row in rows:
            row["evidence"] = json.loads(row["evidence"])
        return rows

    def articles_for_matching(self, limit: int | None = None) -> tuple[list[Article], list[Claim]]:
        """The `limit` most recently published articles (all when None) and their body claims."""
        clause = "" if limit is None else " ORDER BY published IS NULL, published DESC LIMIT ?"
        rows = self._connection.execute(
            f"SELECT id, source, url, title, outlet, published, author, language, body FROM articles{clause}",
            () if limit is None else (limit,)).fetchall()
        articles = [Article(id=r[0], source=r[1], url=r[2], title=r[3], outlet=r[4], published=r[5], author=r[6],
                            language=r[7], body=r[8], page_text="") for r in rows]
        ids = json.dumps([article.id for article in articles])
        claim_rows = self._connection.execute(
            "SELECT c.id, c.article_id, c.speaker, c.speaker_mention, c.speaker_kind, c.speaker_role, c.cue, c.text,"
            " c.kind, c.start, c.\"end\", c.section, c.cited_source FROM (SELECT value AS id FROM json_each(?)) m"
            " CROSS JOIN claims c ON c.article_id = m.id WHERE c.section = 'body'", (ids,)).fetchall()
        return articles, [Claim(id=r[0], article_id=r[1], speaker=r[2], speaker_mention=r[3], speaker_kind=r[4],
                                speaker_role=r[5], cue=r[6], text=r[7], kind=r[8], start=r[9], end=r[10],
                                section=r[11], cited_source=r[12]) for r in claim_rows]
