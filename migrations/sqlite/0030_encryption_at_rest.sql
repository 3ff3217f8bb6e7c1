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
-- personal): the yearly report counts it without reading the sealed body.
ALTER TABLE entries ADD COLUMN reason TEXT;
UPDATE entries SET reason = 'veiligheid'
    WHERE kind IN ('gesprek_overgeslagen', 'meldgesprek_overgeslagen')
    AND body LIKE '%"reden":"veiligheid"%';
UPDATE entries SET reason = 'contact_verbreken'
    WHERE kind IN ('gesprek_overgeslagen', 'meldgesprek_overgeslagen')
    AND body LIKE '%"reden":"contact_verbreken"%';
