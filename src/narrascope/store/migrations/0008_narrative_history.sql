-- What each full re-cluster did to claim clusters and narratives that no kept id can say: splits, merges
-- and groups that dissolved. Kept across runs (never replaced with the derived tables).
CREATE TABLE narrative_history (
    number INTEGER PRIMARY KEY AUTOINCREMENT,  -- in the order the changes were recorded
    recorded_at TEXT NOT NULL,
    level TEXT NOT NULL,                       -- cluster | narrative
    kind TEXT NOT NULL,                        -- split | merge | dissolved
    old_ids TEXT NOT NULL,                     -- JSON array
    new_ids TEXT NOT NULL,                     -- JSON array
    claims INTEGER NOT NULL                    -- claims that moved between them
);
CREATE INDEX narrative_history_level ON narrative_history(level, number);

-- Sentences of pages in languages without claims that join a narrative through an English claim
-- (narratives/crosslingual.py); derived, replaced with the other derived tables.
CREATE TABLE narrative_sentences (
    narrative_id TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,          -- character span in the article body
    "end" INTEGER NOT NULL,
    claim_id TEXT NOT NULL,          -- the English claim it matched
    similarity REAL NOT NULL,
    PRIMARY KEY (narrative_id, article_id, start)
);
CREATE INDEX narrative_sentences_article ON narrative_sentences(article_id);
