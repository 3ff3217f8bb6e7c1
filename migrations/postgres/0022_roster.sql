-- Pupils and staff from the school's administration system (an EDEXML or CSV import, issue 16).
-- The school's BRIN number: a file for another school is refused.
ALTER TABLE schools ADD COLUMN brin TEXT;
-- A pupil on the roster carries the administration system's key; a pupil typed by hand has none.
ALTER TABLE pupils ADD COLUMN source_key TEXT;
-- An import that no longer lists a pupil marks them as left (unix seconds); their dossiers stay.
ALTER TABLE pupils ADD COLUMN left_at BIGINT;
CREATE UNIQUE INDEX pupils_source ON pupils (school_id, source_key);
-- The roster's search: every word of the name and group of a pupil on the roster who has not
-- left, in lower case (domain::pupil::search_terms), for a prefix seek. Pupils typed by hand are
-- never in it: a search must not tell who has a dossier.
CREATE TABLE pupil_terms (
    school_id BIGINT NOT NULL REFERENCES schools (id),
    term TEXT COLLATE "C" NOT NULL,
    pupil_id BIGINT NOT NULL REFERENCES pupils (id),
    PRIMARY KEY (school_id, term, pupil_id)
);
CREATE INDEX pupil_terms_pupil ON pupil_terms (pupil_id);
-- Staff from the administration system: their key at that school, linked to their account.
CREATE TABLE staff_links (
    school_id BIGINT NOT NULL REFERENCES schools (id),
    source_key TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (school_id, source_key)
);
CREATE INDEX staff_links_user ON staff_links (user_id);
