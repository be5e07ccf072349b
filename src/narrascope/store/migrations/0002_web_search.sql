-- What the web UI and API need to answer every list from an index: full-text search, narrative sizes.

-- Full-text search (FTS5) over article titles and bodies. The text lives once, in `articles`; the index
-- reads it through a view keyed by `search_rows.doc_id`, an INTEGER PRIMARY KEY, because VACUUM may
-- renumber the implicit rowids of `articles` (SQLite docs, "VACUUM") and silently misalign the index.
-- New articles are indexed by `Store.sync_search_index()` (the migration splitter takes no triggers).
CREATE TABLE search_rows (
    doc_id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE
);
CREATE VIEW search_documents AS
    SELECT s.doc_id AS doc_id, a.title AS title, a.body AS body
    FROM search_rows s JOIN articles a ON a.id = s.article_id;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='search_documents', content_rowid='doc_id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO search_rows (article_id) SELECT id FROM articles ORDER BY published, id;
INSERT INTO articles_fts (rowid, title, body) SELECT doc_id, title, body FROM search_documents;

-- Narrative sizes as indexed virtual columns, so "largest first" is an index walk, not a sort.
ALTER TABLE narratives ADD COLUMN article_count INTEGER GENERATED ALWAYS AS (json_array_length(article_ids)) VIRTUAL;
ALTER TABLE narratives ADD COLUMN claim_count INTEGER GENERATED ALWAYS AS (json_array_length(claim_ids)) VIRTUAL;
CREATE INDEX narratives_size ON narratives(article_count, claim_count, id);
CREATE INDEX narratives_recent ON narratives(last_seen, id);
CREATE INDEX narratives_first ON narratives(first_seen, id);

-- Lists filtered by outlet or language and ordered by date; speakers by name.
CREATE INDEX articles_outlet_published ON articles(outlet, published);
CREATE INDEX articles_language_published ON articles(language, published);
CREATE INDEX speakers_name ON speakers(name);
-- Claim id -> article id without reading the claim row (speaker timelines walk thousands of claims).
CREATE INDEX claims_id_article ON claims(id, article_id);
