-- Cover during absence (issue 18, domain::cover): an aandachtsfunctionaris (absent_id) names a
-- deputy (deputy_id) for a period of a school; from starts_on to ends_on (dates in the
-- Netherlands, both included, 'YYYY-MM-DD' as the application stores dates) the deputy acts as
-- aandachtsfunctionaris of that school, unless the cover was ended early (ended_at, ended_by).
-- The session guard reads a user's covers in force on every request, so access ends at the next
-- request after the last day or the ending.
CREATE TABLE covers (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools (id),
    absent_id BIGINT NOT NULL REFERENCES users (id),
    deputy_id BIGINT NOT NULL REFERENCES users (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ended_at BIGINT,
    ended_by BIGINT REFERENCES users (id),
    CHECK (starts_on <= ends_on),
    CHECK (absent_id <> deputy_id)
);
-- Every request: the covers of a user (as deputy) that have not ended before today.
CREATE INDEX covers_deputy ON covers (deputy_id, ends_on);
-- The aandachtsfunctionaris's page, and the clash check: the covers of a school.
CREATE INDEX covers_school ON covers (school_id, ends_on);

-- The colleagues the beheerder marked as plaatsvervanger of a school's aandachtsfunctionaris:
-- who, beside the organisation's other aandachtsfunctionarissen, may be named deputy for it.
-- A mark grants nothing by itself.
CREATE TABLE school_deputies (
    school_id BIGINT NOT NULL REFERENCES schools (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (school_id, user_id)
);
CREATE INDEX school_deputies_user ON school_deputies (user_id);
