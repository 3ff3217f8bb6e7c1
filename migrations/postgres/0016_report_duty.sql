-- The meldnorm kept beside the dossier, like its other state (0004): when a report to Veilig
-- Thuis became due and is not yet recorded, so that the workspace can put "melden nodig, nog
-- niet gemeld" first without reading entries. Set with every entry that can change it, in its
-- transaction (domain::progress). Rows from before this migration are filled in once by the
-- application after migrating (their entries are JSON): standing_version says which are done.
ALTER TABLE dossiers ADD COLUMN report_due_since BIGINT;
ALTER TABLE dossiers ADD COLUMN standing_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX dossiers_standing_version ON dossiers (standing_version);
CREATE INDEX dossiers_report_due ON dossiers (school_id, report_due_since);
