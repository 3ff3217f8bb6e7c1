-- Retention: closed dossiers are purged a number of years after closing. The content goes; an
-- anonymous tombstone (school, dates, route, forms, outcome) stays for the evaluation figures.
ALTER TABLE organisations ADD COLUMN retention_years BIGINT NOT NULL DEFAULT 5;
ALTER TABLE dossiers ADD COLUMN purged_at BIGINT;

-- Entries stay append-only, except for the purge of a whole dossier: the purge writes a permit in
-- its transaction, and only then may that dossier's entries be deleted.
CREATE TABLE purge_permits (dossier_id BIGINT PRIMARY KEY);
CREATE OR REPLACE FUNCTION entries_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM purge_permits p WHERE p.dossier_id = OLD.dossier_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'dossier entries are append-only';
END;
$$ LANGUAGE plpgsql;
