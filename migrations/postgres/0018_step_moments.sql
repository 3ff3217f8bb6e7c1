-- The first moment of each step kept beside the dossier, like steps_mask (0004): when the
-- dossier first got an entry of step 1 … 5 (domain: Kind::step), so that the evaluation report's
-- time to each step reads dossiers only, not their entries. Set with every entry, in its
-- transaction (store::dossiers::entries::insert_entry). Rows from before are filled in here from
-- their entries, whose step column says the same.
ALTER TABLE dossiers ADD COLUMN step1_at BIGINT;
ALTER TABLE dossiers ADD COLUMN step2_at BIGINT;
ALTER TABLE dossiers ADD COLUMN step3_at BIGINT;
ALTER TABLE dossiers ADD COLUMN step4_at BIGINT;
ALTER TABLE dossiers ADD COLUMN step5_at BIGINT;
UPDATE dossiers SET
    step1_at = (SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step = 1),
    step2_at = (SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step = 2),
    step3_at = (SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step = 3),
    step4_at = (SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step = 4),
    step5_at = (SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = dossiers.id AND e.step = 5);
