-- The narratives list filtered by size and recency counts its matches from this index alone: read
-- from the table, `last_seen` sits behind the large JSON columns and every row costs its overflow
-- pages (85 ms for 20k narratives; bench/web_latency.py).
CREATE INDEX narratives_size_recency ON narratives(article_count, last_seen);
