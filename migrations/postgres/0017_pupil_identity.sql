-- The opening form no longer lists pupils: a typed pupil is linked on the server to the school's
-- pupil with the same date of birth and name. name_key is the name in lower case with single
-- spaces (made by the application, domain::pupil::name_key; rows from before are keyed once at
-- start-up). The index makes that look-up, and a dossier's other dossiers, a seek.
ALTER TABLE pupils ADD COLUMN name_key TEXT;
CREATE INDEX pupils_identity ON pupils (school_id, date_of_birth, name_key);
CREATE INDEX dossiers_pupil ON dossiers (pupil_id);
-- The rows still to be keyed, so that start-up finds them without reading the whole table.
CREATE INDEX pupils_unkeyed ON pupils (id) WHERE name_key IS NULL;
-- Pupils are no longer listed by name per school.
DROP INDEX pupils_school;
