-- For the evaluation reports: when a dossier was closed, and indexes for periods per school.
ALTER TABLE dossiers ADD COLUMN closed_at BIGINT;
UPDATE dossiers SET closed_at = (SELECT MAX(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.kind = 'gesloten')
    WHERE status = 'gesloten';
CREATE INDEX dossiers_opened ON dossiers (school_id, opened_at);
CREATE INDEX dossiers_closed ON dossiers (school_id, closed_at);
CREATE INDEX entries_kind ON entries (kind, created_at);
CREATE INDEX entries_step ON entries (dossier_id, step, created_at);
