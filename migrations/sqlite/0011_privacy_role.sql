-- The privacy officer (functionaris gegevensbescherming) as a role, and the acting role in the
-- audit log. SQLite cannot change a CHECK constraint, so role_assignments is rebuilt.
CREATE TABLE role_assignments_new (
    user_id BIGINT NOT NULL REFERENCES users (id),
    school_id BIGINT NOT NULL REFERENCES schools (id),
    role TEXT NOT NULL CHECK (role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie', 'beheerder', 'privacy')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, school_id, role)
);
INSERT INTO role_assignments_new (user_id, school_id, role, created_at)
    SELECT user_id, school_id, role, created_at FROM role_assignments;
DROP TABLE role_assignments;
ALTER TABLE role_assignments_new RENAME TO role_assignments;
CREATE INDEX role_assignments_school ON role_assignments (school_id, role);

ALTER TABLE audit_log ADD COLUMN role TEXT;
CREATE INDEX audit_log_at ON audit_log (at);
