-- Retention: closed dossiers are purged a number of years after closing. The content goes; an
-- anonymous tombstone (school, dates, route, forms, outcome) stays for the evaluation figures.
ALTER TABLE organisations ADD COLUMN retention_years BIGINT NOT NULL DEFAULT 5;
ALTER TABLE dossiers ADD COLUMN purged_at BIGINT;

-- Entries stay append-only, except for the purge of a whole dossier: the purge writes a permit in
-- its transaction, and only then may that dossier's entries be deleted.
CREATE TABLE purge_permits (dossier_id BIGINT PRIMARY KEY);
DROP TRIGGER entries_no_delete;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
WHEN NOT EXISTS (SELECT 1 FROM purge_permits p WHERE p.dossier_id = OLD.dossier_id)
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only');
END;
