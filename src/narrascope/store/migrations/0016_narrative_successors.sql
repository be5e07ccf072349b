-- Which history records name each old narrative or cluster id, so that a link to a narrative that a
-- later re-cluster merged or split leads to what became of it (web: /narratives/{old id}) without
-- reading the whole history. Kept across runs, like narrative_history.
CREATE TABLE narrative_history_ids (
    old_id TEXT NOT NULL,
    number INTEGER NOT NULL REFERENCES narrative_history(number),
    PRIMARY KEY (old_id, number)
);
INSERT INTO narrative_history_ids (old_id, number)
    SELECT DISTINCT j.value, h.number FROM narrative_history h, json_each(h.old_ids) j;
