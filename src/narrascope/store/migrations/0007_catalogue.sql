-- The analysts' catalogue of known narratives, kept in the database so a read-only server can show it
-- and a write-enabled one can edit it; with the articles it matched, their confidence and evidence spans.
CREATE TABLE catalogue (
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one catalogue per database
    text TEXT NOT NULL,                     -- the TOML or YAML as written (comments kept)
    format TEXT NOT NULL,                   -- toml | yaml
    threshold REAL NOT NULL,
    model TEXT,
    updated_at TEXT NOT NULL,
    matched_at TEXT,                        -- when the matches below were computed
    matched_model TEXT,                     -- with which embedding model
    articles_read INTEGER NOT NULL DEFAULT 0,     -- how many articles were read
    articles_total INTEGER NOT NULL DEFAULT 0     -- of how many stored then
);
CREATE TABLE catalogue_entries (
    position INTEGER PRIMARY KEY,           -- file order
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    examples TEXT NOT NULL,                 -- JSON array
    parent TEXT
);
CREATE TABLE catalogue_matches (
    name TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    confidence REAL NOT NULL,
    evidence TEXT NOT NULL,                 -- JSON array: field, start, end, claim_id, passage, probe, similarity
    PRIMARY KEY (name, article_id)
);
-- An entry's matches best first; an article's matches.
CREATE INDEX catalogue_matches_confidence ON catalogue_matches(name, confidence);
CREATE INDEX catalogue_matches_article ON catalogue_matches(article_id);

-- The overview's and /rejections' "latest first" is an index walk, not a sort of every rejection.
CREATE INDEX rejections_latest ON rejections(rejected_at, source);
