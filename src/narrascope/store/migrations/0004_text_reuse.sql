-- Passages two articles share (copied quotes, lifted paragraphs), with spans on both sides.
CREATE TABLE text_reuse (
    article_a TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start_a INTEGER NOT NULL,
    end_a INTEGER NOT NULL,
    article_b TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start_b INTEGER NOT NULL,
    end_b INTEGER NOT NULL,
    words INTEGER NOT NULL,
    source_id TEXT,                 -- the earlier article when the dates tell, else NULL
    PRIMARY KEY (article_a, start_a, article_b, start_b)
);
CREATE INDEX text_reuse_b ON text_reuse(article_b);

-- Near-duplicate articles (syndicated copies): one group id per set, counted once in statistics.
CREATE TABLE duplicate_groups (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    group_id TEXT NOT NULL
);
