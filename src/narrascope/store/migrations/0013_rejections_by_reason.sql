-- The overview's rejections by reason are counted from this index, not from the whole table
-- (BATTERY.md L1: every web query answered from an index; tests/test_store_query_plans.py).
CREATE INDEX rejections_reason ON rejections(reason);
