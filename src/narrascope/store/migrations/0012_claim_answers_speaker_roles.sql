-- Counter-claims link the claim they answer; speakers keep every role with its first and last date.
ALTER TABLE claims ADD COLUMN answers_claim_id TEXT;
ALTER TABLE speakers ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';  -- JSON array of {role, first_seen, last_seen, claims}
