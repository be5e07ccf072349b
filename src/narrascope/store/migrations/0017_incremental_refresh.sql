-- What the incremental refresh (narrascope/incremental.py) needs to place new articles without reading
-- every stored one: each article's MinHash signature and its LSH band keys, so near-duplicates of a new
-- article are found by index lookups. Written by a full refresh above `narratives.incremental_above`
-- claims and extended by each incremental one; an article here is one the derived tables already cover.
CREATE TABLE article_signatures (
    number INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL          -- PERMUTATIONS minimum hashes, low 32 bits each (uint32)
);
-- One row per (band, article): band_key hashes the band number with its rows of the signature.
CREATE TABLE signature_bands (
    band_key INTEGER NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (band_key, number)
) WITHOUT ROWID;
