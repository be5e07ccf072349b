-- When and where each statement was made, read from the text around its claim (timeline stage).
CREATE TABLE claim_context (
    claim_id TEXT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    stated_on TEXT,                 -- YYYY-MM-DD, YYYY-MM or YYYY by precision; NULL when unknown
    precision TEXT NOT NULL,        -- day | month | year | published | unknown
    is_flagged INTEGER NOT NULL,    -- 1 when resolved without an article date or with a guessed year
    note TEXT NOT NULL,
    date_start INTEGER,             -- evidence span of the date expression in the body
    date_end INTEGER,
    event TEXT,
    event_start INTEGER,
    event_end INTEGER
);
