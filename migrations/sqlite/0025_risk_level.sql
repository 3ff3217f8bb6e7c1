-- The risk level (laag, midden, hoog) kept beside the dossier, like review_due and feedback_due:
-- the level of the latest risk entry (domain::risk, entry kind 'risico'), set with that entry in
-- its transaction (store::dossiers::entries::insert_entry), so that the workspace, the dossier
-- list and directie's report read it from dossiers only. No dossier has a risk entry before this
-- migration: NULL is "niet ingeschat".
ALTER TABLE dossiers ADD COLUMN risk_level TEXT;
