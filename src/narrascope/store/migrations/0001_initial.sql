-- Pages as ingested, articles cut from them, claims with evidence spans.
CREATE TABLE pages (
    id TEXT PRIMARY KEY,            -- content hash of the page text
    source TEXT NOT NULL,           -- path or URL as ingested (first seen)
    kind TEXT NOT NULL,             -- text | html
    url TEXT,
    fetched_at TEXT,
    encoding TEXT NOT NULL,
    page_text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,                 -- ISO YYYY-MM-DD or NULL
    author TEXT,
    language TEXT,
    body TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    speaker TEXT,
    speaker_mention TEXT,
    speaker_kind TEXT,
    speaker_role TEXT,
    cue TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,             -- direct | reported
    section TEXT NOT NULL,          -- body | title: which field start/end index
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    cited_source TEXT
);
-- The foreign-key index keeps concurrent readers fast (BATTERY.md: p99 622 ms without, 8.9 ms with).
CREATE INDEX claims_article ON claims(article_id);

-- Pages that could not be stored, with a typed reason; the latest attempt per source.
CREATE TABLE rejections (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);

-- Embedding cache keyed by model id: a model change re-embeds instead of mixing vector spaces.
CREATE TABLE embeddings (
    text_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,           -- float32, L2-normalised
    PRIMARY KEY (text_hash, model)
);

-- Derived by the global stages (speakers, clusters, narratives); replaced as a whole, atomically.
CREATE TABLE speakers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,          -- JSON array
    role TEXT,
    kind TEXT NOT NULL
);

CREATE TABLE claim_clusters (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    claim_ids TEXT NOT NULL         -- JSON array
);

CREATE TABLE narratives (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    key_terms TEXT NOT NULL,        -- JSON array
    representative_claim_id TEXT,
    claim_ids TEXT NOT NULL,
    cluster_ids TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    speaker_ids TEXT NOT NULL,
    outlets TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT
);

CREATE TABLE claim_links (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    speaker_id TEXT,
    cluster_id TEXT,
    narrative_id TEXT
);
CREATE INDEX claim_links_speaker ON claim_links(speaker_id);
CREATE INDEX claim_links_cluster ON claim_links(cluster_id);
CREATE INDEX claim_links_narrative ON claim_links(narrative_id);

-- Which set of claims the derived tables were computed from, so an interrupted run recomputes them.
CREATE TABLE derived_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
