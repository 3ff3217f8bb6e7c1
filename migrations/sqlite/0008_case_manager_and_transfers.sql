-- The case manager of a help plan, and transfers of a dossier to another school of the
-- organisation (the receiving aandachtsfunctionaris accepts; the history stays whole).
ALTER TABLE dossiers ADD COLUMN case_manager BIGINT REFERENCES users (id);

CREATE TABLE dossier_transfers (
    id INTEGER PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    from_school BIGINT NOT NULL REFERENCES schools (id),
    to_school BIGINT NOT NULL REFERENCES schools (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    accepted_by BIGINT REFERENCES users (id),
    accepted_at BIGINT
);
CREATE INDEX dossier_transfers_to ON dossier_transfers (to_school, accepted_at);
CREATE INDEX dossier_transfers_dossier ON dossier_transfers (dossier_id);
