-- Where a dossier stands, kept beside it so that lists and the workspace need no entries:
-- which steps have entries (bit n for step n), when the help plan is to be reviewed, and when
-- Veilig Thuis's feedback on a report is due. Updated with every entry, in its transaction.
ALTER TABLE dossiers ADD COLUMN steps_mask BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN review_due TEXT;
ALTER TABLE dossiers ADD COLUMN feedback_due TEXT;

UPDATE dossiers SET steps_mask = COALESCE(
    (SELECT SUM(DISTINCT 1 << e.step) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step IS NOT NULL), 0);

CREATE INDEX dossiers_review_due ON dossiers (school_id, review_due);
CREATE INDEX dossiers_feedback_due ON dossiers (school_id, feedback_due);
