"""Bulk-load a large database from generated variants of processed real pages (issue 7, BATTERY.md L1).

The source is a small database of real pages run through the pipeline (bench/source_corpus.py). Each
generated article is one source article under a new id, with another date (shifted up to two years),
another outlet (one of 200 variants of each), its sentences in another order and its people under other
names (synthetic_variants.py: the same renaming in title, body, claims and speaker names), so copies are
distinct articles; every claim span is recomputed and checked (`body[start:end] == text`). A share of
`COPY_SHARE` articles are also stored a second time verbatim under another outlet and date (syndicated
copies): those, and only those, are what deduplication should group (`duplicate_check`).

Claims carry the cached vector of the original claim text (an approximation: renaming a person in a
claim hardly moves its embedding), so semantic search and clustering have vectors without a model run.
Claim clusters and narratives are copied per generated copy of the source; claim contexts, stance rows
and shared passages are not copied. Page text is the generated title and body (the text rendering).

    python bench/synthetic_corpus.py --articles 1000000 --db /tmp/narrascope-scale/1m.db [--source-pages 500]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sqlite3
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_variants import make_variant, name_variant, person_names

from narrascope.models import Article
from narrascope.pipeline import vector_key
from narrascope.reuse import near_duplicate_groups
from narrascope.reuse.passages import tokenize
from narrascope.store import Store
from narrascope.web.semantic import text_key

NAME_VARIANTS = 100  # speaker `s` of the source becomes speakers `s-0` .. `s-99`, one per name variant
DISTINCT_JACCARD = 0.5  # deduplication groups at an estimated 0.8
COPY_SHARE = 50  # one generated article in 50 is also stored verbatim (a syndicated copy)
CLAIM_COLUMNS = ("id, article_id, speaker, speaker_mention, speaker_kind, speaker_role, cue, text, kind, section,"
                 ' start, "end", cited_source, answers_claim_id')
BULK_TABLES = ("articles", "pages", "claims", "claim_links", "narratives", "speakers", "duplicate_groups",
               "embeddings", "claim_clusters")


def _id(original: str, copy: int | str) -> str:
    return hashlib.sha256(f"{original}:{copy}".encode()).hexdigest()


def _shift(day: str | None, days: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None


@dataclass
class Source:
    """The processed pages of the source database, held in memory."""

    articles: list[tuple[Any, ...]]
    claims: dict[str, list[tuple[Any, ...]]]
    links: dict[str, tuple[Any, ...]]
    speakers: list[tuple[Any, ...]]
    clusters: list[tuple[Any, ...]]
    narratives: list[tuple[Any, ...]]
    vectors: dict[str, list[tuple[str, bytes]]]  # claim text -> (model, vector)


def read_source(path: str) -> Source:
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    articles = list(src.execute("SELECT id, source, url, title, outlet, published, author, language, body"
                                " FROM articles ORDER BY id"))
    claims: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in src.execute(f"SELECT {CLAIM_COLUMNS} FROM claims ORDER BY rowid"):
        claims[row[1]].append(row)
    vectors: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    by_key = defaultdict(list)
    for model, key, vector in src.execute("SELECT model, text_hash, vector FROM embeddings"):
        by_key[key].append((model, vector))
    for rows in claims.values():
        for row in rows:
            vectors[row[7]] = by_key.get(vector_key(row[7]), []) or by_key.get(text_key(row[7]), [])
    source = Source(
        articles, dict(claims),
        {row[0]: row[1:]
         for row in src.execute("SELECT claim_id, speaker_id, cluster_id, narrative_id FROM claim_links")},
        list(src.execute("SELECT id, name, aliases, role, kind, roles FROM speakers")),
        list(src.execute("SELECT id, label, claim_ids FROM claim_clusters")),
        list(src.execute("SELECT id, label, key_terms, representative_claim_id, claim_ids, cluster_ids,"
                         " article_ids, speaker_ids, outlets, first_seen, last_seen FROM narratives")),
        dict(vectors))
    src.close()
    return source


class Loader:
    """Writes generated copies of the source into the target database."""

    def __init__(self, source: Source, db: sqlite3.Connection, seed: int) -> None:
        self.source, self.db, self.seed = source, db, seed
        self.people = person_names([row[1] for row in source.speakers if row[4] == "person"])
        self.speaker_names = {row[0]: row[1] for row in source.speakers}
        self.names = [name_variant(self.people, variant) for variant in range(NAME_VARIANTS)]
        self.originals = [row for row in source.articles if self._varies(row)]
        self.stats = {"articles": 0, "verbatim_copies": 0, "claims": 0, "vectors": 0,
                      "source_articles_varied": len(self.originals)}

    def _varies(self, original: tuple[Any, ...]) -> bool:
        """Whether variants of this article differ enough that deduplication keeps them apart: three
        variants' word 5-gram sets overlap below `DISTINCT_JACCARD` pairwise (short articles, or ones
        made mostly of one long quote, have too little to move and are left out)."""
        spans = [(c[9], c[10], c[11]) for c in self.source.claims.get(original[0], [])]
        shingles = []
        for copy in range(3):
            body = make_variant(original[3], original[8], spans, self.names[copy],
                                random.Random(f"check:{original[0]}:{copy}")).body
            words = [token.word for token in tokenize(body)]
            shingles.append({tuple(words[i:i + 5]) for i in range(max(len(words) - 4, 1))})
        return all(len(a & b) < DISTINCT_JACCARD * len(a | b) for a, b in itertools.combinations(shingles, 2))

    def copy(self, copy: int, limit: int) -> None:
        """Copy `copy` of every source article (until `limit` articles are stored)."""
        variant = copy % NAME_VARIANTS
        names = self.names[variant]
        pages, articles, claims, links, vectors, duplicates = [], [], [], [], [], []
        outlet_of: dict[str, str] = {}
        for original in self.originals:
            if self.stats["articles"] >= limit:
                break
            aid, source, url, title, outlet, published, author, language, body = original
            own_claims = self.source.claims.get(aid, [])
            rng = random.Random(f"{self.seed}:{aid}:{copy}")
            made = make_variant(title, body, [(c[9], c[10], c[11]) for c in own_claims], names, rng)
            days = copy % 730
            new_outlet = f"{outlet or 'Unknown'} {copy % 200:03d}"
            outlet_of[aid] = new_outlet
            ids = [_id(aid, copy)]
            if int(ids[0][:8], 16) % COPY_SHARE == 0 and self.stats["articles"] + 1 < limit:
                ids.append(_id(aid, f"{copy}-verbatim"))
                duplicates += [(ids[0], ids[0]), (ids[1], ids[0])]
                self.stats["verbatim_copies"] += 1
            for number, new_id in enumerate(ids):
                page_text = f"{made.title or ''}\n\n{made.body}"
                pages.append((new_id, f"{source}#{copy}.{number}", "text", url, None, "utf-8", page_text,
                              "2026-12-01T00:00:00+00:00"))
                articles.append((new_id, f"{source}#{copy}.{number}", url, made.title,
                                 new_outlet if not number else f"{new_outlet} syndicated",
                                 _shift(published, days + number), author, language, made.body))
                for claim, (section, start, end, text) in zip(own_claims, made.claims, strict=True):
                    claim_id = _id(claim[0], f"{copy}.{number}")
                    claims.append((claim_id, new_id, made.rewrite(claim[2]) if claim[2] else None,
                                   made.rewrite(claim[3]) if claim[3] else None, claim[4], claim[5], claim[6],
                                   text, claim[8], section, start, end, claim[12],
                                   _id(claim[13], f"{copy}.{number}") if claim[13] else None))
                    speaker, cluster, narrative = self.source.links.get(claim[0], (None, None, None))
                    links.append((claim_id, f"{speaker}-{variant}" if speaker else None,
                                  _id(cluster, copy) if cluster else None, _id(narrative, copy) if narrative else None))
                    if number == 0:
                        for model, vector in self.source.vectors.get(claim[7], []):
                            vectors += [(key, model, vector) for key in {vector_key(text), text_key(text)}]
                self.stats["articles"] += 1
                self.stats["claims"] += len(own_claims)
        self._write(copy, variant, pages, articles, claims, links, vectors, duplicates, outlet_of, names)

    def _write(self, copy: int, variant: int, pages: list[Any], articles: list[Any], claims: list[Any],
               links: list[Any], vectors: list[Any], duplicates: list[Any], outlet_of: dict[str, str],
               names: Any) -> None:
        db = self.db
        db.executemany("INSERT INTO pages (id, source, kind, url, fetched_at, encoding, page_text, ingested_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", pages)
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
        db.executemany(f"INSERT INTO claims ({CLAIM_COLUMNS}) VALUES ({', '.join('?' * 14)})", claims)
        db.executemany("INSERT INTO claim_links VALUES (?, ?, ?, ?)", links)
        db.executemany("INSERT OR IGNORE INTO embeddings (text_hash, model, vector) VALUES (?, ?, ?)", vectors)
        db.executemany("INSERT INTO duplicate_groups VALUES (?, ?)", duplicates)
        self.stats["vectors"] += len(vectors)
        stored = {row[0] for row in claims}
        db.executemany("INSERT INTO claim_clusters VALUES (?, ?, ?)", [
            (_id(k[0], copy), k[1], json.dumps([_id(c, f"{copy}.0") for c in json.loads(k[2])
                                                if _id(c, f"{copy}.0") in stored]))
            for k in self.source.clusters])
        db.executemany(
            "INSERT INTO narratives (id, label, key_terms, representative_claim_id, claim_ids, cluster_ids,"
            " article_ids, speaker_ids, outlets, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(_id(n[0], copy), names.rewrite(n[1])[0] + f" ({copy})", n[2],
              _id(n[3], f"{copy}.0") if n[3] else None,
              json.dumps([_id(c, f"{copy}.0") for c in json.loads(n[4])]),
              json.dumps([_id(c, copy) for c in json.loads(n[5])]),
              json.dumps([_id(a, copy) for a in json.loads(n[6])]),
              json.dumps([f"{s}-{variant}" for s in json.loads(n[7])]),
              json.dumps(sorted({outlet_of[a] for a in json.loads(n[6]) if a in outlet_of})),
              _shift(n[9], copy % 730), _shift(n[10], copy % 730)) for n in self.source.narratives])
        if copy < NAME_VARIANTS:
            db.executemany("INSERT INTO speakers (id, name, aliases, role, kind, roles) VALUES (?, ?, ?, ?, ?, ?)", [
                (f"{s[0]}-{copy}", names.rewrite(s[1])[0] if s[4] == "person" else f"{s[1]} ({copy})",
                 json.dumps([names.rewrite(alias)[0] for alias in json.loads(s[2])]), s[3], s[4], s[5])
                for s in self.source.speakers])


def bulk_load(source: str, target: str, articles: int, seed: int = 1) -> dict[str, Any]:
    """Fill `target` (created with the product's schema) with `articles` generated articles."""
    with Store(target):
        pass  # the schema, migrations included
    data = read_source(source)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")  # a fresh file: the rollback journal stays small
    db.execute("PRAGMA synchronous = OFF")  # bulk load only; the product writes with synchronous=FULL
    db.execute("PRAGMA cache_size = -2000000")
    indexes = [row for row in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT"
                                         f" NULL AND tbl_name IN ({', '.join('?' * len(BULK_TABLES))})", BULK_TABLES)]
    for name, _ in indexes:  # built once at the end: faster than keeping them sorted row by row
        db.execute(f'DROP INDEX "{name}"')
    loader = Loader(data, db, seed)
    started = time.perf_counter()
    copy = 0
    while loader.stats["articles"] < articles:
        db.execute("BEGIN")
        for _ in range(20):
            if loader.stats["articles"] < articles:
                loader.copy(copy, articles)
                copy += 1
        db.execute("COMMIT")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for _, sql in indexes:
        db.execute(sql)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    with Store(target) as store:
        store.sync_search_index()
        counts = store.counts()
    return counts | loader.stats | {"copies": copy, "source_articles": len(data.articles),
                                    "load_seconds": round(loaded, 1), "index_seconds": round(indexed, 1),
                                    "search_index_seconds": round(time.perf_counter() - started, 1)}


def duplicate_check(db: str, articles: int = 5000) -> dict[str, int]:
    """Deduplicate (the product's MinHash stage) the first `articles` generated articles: the groups it
    finds against the verbatim copies stored there. Every true pair should be found and nothing else."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = list(connection.execute("SELECT id, source, url, title, outlet, published, author, language, body"
                                   " FROM articles ORDER BY rowid LIMIT ?", (articles,)))
    truth = dict(connection.execute("SELECT article_id, group_id FROM duplicate_groups"))
    connection.close()
    found = near_duplicate_groups([Article(*row, page_text="") for row in rows])
    true_groups = defaultdict(set)
    for row in rows:
        if row[0] in truth:
            true_groups[truth[row[0]]].add(row[0])
    expected = {frozenset(group) for group in true_groups.values() if len(group) > 1}
    got = {frozenset(group) for group in found}
    return {"articles": len(rows), "true_groups": len(expected), "found_groups": len(got),
            "found_true": len(expected & got), "found_false": len(got - expected)}


def main() -> int:
    from source_corpus import source_db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--source", help="source database (default: bench/source_corpus.py's cached one)")
    parser.add_argument("--source-pages", type=int, default=500)
    parser.add_argument("--check", type=int, default=2000, help="articles the duplicate check reads")
    arguments = parser.parse_args()
    if Path(arguments.db).exists():
        print(f"{arguments.db} exists; remove it to rebuild", file=sys.stderr)
        return 1
    started = time.perf_counter()
    source = arguments.source or source_db(arguments.source_pages)
    figures = bulk_load(source, arguments.db, arguments.articles)
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    figures["size_mib"] = round(Path(arguments.db).stat().st_size / 2**20)
    figures["duplicate_check"] = duplicate_check(arguments.db, arguments.check)
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
