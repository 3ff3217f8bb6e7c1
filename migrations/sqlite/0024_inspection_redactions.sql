-- What the aandachtsfunctionaris withholds from a pupil's inspection copy (inzage, AVG art. 15):
-- a whole entry (field_key '') or one field of it, with the reason the law allows and an
-- explanation in their own words. The entry itself is never changed (entries are append-only):
-- only the copy shows "[weggelaten: reden]" in its place. A withdrawn redaction keeps its row
-- (withdrawn_at, withdrawn_by), so what was withheld when stays traceable beside the audit log.
CREATE TABLE inspection_redactions (
    id INTEGER PRIMARY KEY,
    pupil_id BIGINT NOT NULL REFERENCES pupils (id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    entry_id BIGINT NOT NULL REFERENCES entries (id),
    field_key TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL CHECK (reason IN ('derden', 'vertrouwelijk', 'werkaantekening')),
    explanation TEXT NOT NULL,
    marked_by BIGINT NOT NULL REFERENCES users (id),
    marked_at BIGINT NOT NULL,
    withdrawn_by BIGINT REFERENCES users (id),
    withdrawn_at BIGINT
);
CREATE INDEX inspection_redactions_dossier ON inspection_redactions (dossier_id, entry_id);
-- One redaction in force per entry and field: marking the same passage twice is refused.
CREATE UNIQUE INDEX inspection_redactions_in_force ON inspection_redactions (entry_id, field_key)
    WHERE withdrawn_at IS NULL;
