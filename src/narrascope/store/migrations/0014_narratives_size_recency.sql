-- The narratives list filtered by size and recency is answered from its indexes alone, its count and
-- its page in every sort order: read from the table, `last_seen` and `article_count` sit behind the
-- large JSON columns and testing a row costs its overflow pages (85-120 ms for 20k narratives;
-- bench/web_latency.py). Each index of 0002 is replaced by one that also holds the filtered columns
-- (keeping the old ones beside them, the planner could still choose them, as their prefix).
DROP INDEX narratives_size;
DROP INDEX narratives_recent;
DROP INDEX narratives_first;
CREATE INDEX narratives_size ON narratives(article_count, claim_count, id, last_seen);
CREATE INDEX narratives_recent ON narratives(last_seen, id, article_count);
CREATE INDEX narratives_first ON narratives(first_seen, id, article_count, last_seen);
