-- Encryption at rest (issue 19): each organisation's data key, wrapped (encrypted) by the master
-- key, which is kept in a file outside the database. An entry's body is sealed with its
-- organisation's current key and names the key that sealed it, so an older key stays here (retired)
-- for as long as something sealed with it remains.
CREATE TABLE data_keys (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    wrapped TEXT NOT NULL,
    -- The fingerprint of the master key that wrapped it (crypto::MasterKey::id).
    master_key_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
-- One current key per organisation: two instances creating one at once cannot both succeed.
CREATE UNIQUE INDEX data_keys_current ON data_keys (organisation_id) WHERE retired_at IS NULL;

-- The lawful reason a conversation was skipped, beside the entry in plain (a code, nothing
-- personal): the yearly report counts it without reading the sealed body. Filled in for the
-- entries there are, with the append-only guard lifted for this migration alone.
ALTER TABLE entries ADD COLUMN reason TEXT;
DROP TRIGGER entries_no_update;
UPDATE entries SET reason = 'veiligheid'
    WHERE kind IN ('gesprek_overgeslagen', 'meldgesprek_overgeslagen')
    AND body LIKE '%"reden":"veiligheid"%';
UPDATE entries SET reason = 'contact_verbreken'
    WHERE kind IN ('gesprek_overgeslagen', 'meldgesprek_overgeslagen')
    AND body LIKE '%"reden":"contact_verbreken"%';
-- Entries stay append-only; the one change allowed is sealing the body (the in-place encryption
-- of what an older version stored in plain text, and re-encryption under a new data key): the
-- new body must be sealed ('e1.') and every other column must stay as it was.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
WHEN NOT (NEW.body LIKE 'e1.%' AND NEW.id = OLD.id AND NEW.dossier_id = OLD.dossier_id
    AND NEW.kind = OLD.kind AND NEW.step IS OLD.step AND NEW.author_id = OLD.author_id
    AND NEW.author_role = OLD.author_role AND NEW.created_at = OLD.created_at
    AND NEW.refers_to IS OLD.refers_to AND NEW.reason IS OLD.reason)
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only');
END;

-- Which one-time encryptions of older plaintext have finished (the in-place migration): a name
-- per column, so that a start-up after one does not scan the table again.
CREATE TABLE encryption_done (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
