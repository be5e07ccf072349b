-- What `narrascope watch` has already handled, so each poll ingests only what is new (and survives restarts).
CREATE TABLE watch_seen (
    item TEXT PRIMARY KEY,          -- file:PATH, url:URL (a URL list's line) or item:SOURCE (a feed entry, a page)
    fingerprint TEXT NOT NULL,      -- size:mtime of a file, content id of a page, reason of a rejection
    outcome TEXT NOT NULL,          -- stored | unchanged | rejected
    seen_at TEXT NOT NULL
);

-- How sure the charset detection was (1.0 for a BOM or valid UTF-8; BATTERY.md H9). NULL for older pages.
ALTER TABLE pages ADD COLUMN encoding_confidence REAL;

-- The overview's latest rejections, newest first, from an index instead of a sort of the whole table
-- (BATTERY.md L1: every list query answered from an index; tests/test_store_query_plans.py).
CREATE INDEX rejections_recent ON rejections(rejected_at DESC, source);
