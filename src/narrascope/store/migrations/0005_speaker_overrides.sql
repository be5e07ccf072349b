-- Analysts' corrections to speaker identity; they survive re-runs of the global stages and reprocess.
CREATE TABLE speaker_overrides (
    number INTEGER PRIMARY KEY AUTOINCREMENT,  -- applied in the order they were made
    action TEXT NOT NULL,                      -- merge | split
    speaker_id TEXT NOT NULL,                  -- merge: the speaker merged away; split: the speaker split
    into_id TEXT,                              -- merge: the speaker it joins
    made_at TEXT NOT NULL
);
