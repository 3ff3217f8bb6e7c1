-- One dossier per concern: an aandachtsfunctionaris can merge a dossier into another about the
-- same pupil (domain::merge). The one merged away is closed with reason 'samengevoegd' and points
-- to the one it continues in; both histories stay whole, each with an entry about the merge.
ALTER TABLE dossiers ADD COLUMN merged_into BIGINT REFERENCES dossiers (id);
