-- Each article's stance toward each narrative it carries (derived; replaced with the other global stages).
-- `evidence` is a JSON array of the deciding sentences: start, end (into the article's body), role,
-- reason, similarity, claim_id; the text is read back from the body.
CREATE TABLE article_stance (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    narrative_id TEXT NOT NULL,
    stance TEXT NOT NULL CHECK (stance IN ('reports', 'amplifies', 'disputes')),
    counter_room INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (article_id, narrative_id)
);
CREATE INDEX article_stance_narrative ON article_stance(narrative_id);
