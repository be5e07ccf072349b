"""Parquet sources: one page per row, the same pages as the JSON Lines form, bad rows and files typed."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from narrascope.ingest import iter_pages
from narrascope.models import RawPage, Rejection

BODY = "<html><body><article><p>" + "The council said on Monday that the bridge would reopen. " * 6 + \
    "</p></article></body></html>"


def test_ingest_parquet_rows_equal_jsonl_records(tmp_path: Path) -> None:
    records = [{"html": BODY, "url": "https://news.example/1", "fetched_at": "2024-01-02T03:04:05Z"},
               {"text": "Plain text page. " * 20, "url": "https://news.example/2", "fetched_at": None}]
    columns = {name: [record.get(name) for record in records] for name in ("html", "text", "url", "fetched_at")}
    pq.write_table(pa.table(columns), tmp_path / "pages.parquet")
    (tmp_path / "pages.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    from_parquet = list(iter_pages([str(tmp_path / "pages.parquet")]))
    from_jsonl = list(iter_pages([str(tmp_path / "pages.jsonl")]))
    assert all(isinstance(item, RawPage) for item in from_parquet)
    assert from_parquet == from_jsonl
    assert [item.kind for item in from_parquet if isinstance(item, RawPage)] == ["html", "text"]


def test_ingest_parquet_bad_rows_and_files_are_typed(tmp_path: Path) -> None:
    pq.write_table(pa.table({"text": [None, "short", "A long enough page. " * 20]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"body": ["no page column"]}), tmp_path / "b.parquet")
    (tmp_path / "c.parquet").write_bytes(b"not parquet at all" * 10)
    items = list(iter_pages([str(tmp_path)]))
    rejected = [(Path(item.source).name, item.reason) for item in items if isinstance(item, Rejection)]
    assert rejected == [("a.parquet:row 1", "bad_parquet"), ("a.parquet:row 2", "too_small"),
                        ("b.parquet", "bad_parquet"), ("c.parquet", "bad_parquet")]
    assert sum(isinstance(item, RawPage) for item in items) == 1
