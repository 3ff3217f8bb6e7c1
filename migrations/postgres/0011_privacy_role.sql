-- The privacy officer (functionaris gegevensbescherming) as a role, and the acting role in the
-- audit log.
ALTER TABLE role_assignments DROP CONSTRAINT role_assignments_role_check;
ALTER TABLE role_assignments ADD CONSTRAINT role_assignments_role_check
    CHECK (role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie', 'beheerder', 'privacy'));

ALTER TABLE audit_log ADD COLUMN role TEXT;
CREATE INDEX audit_log_at ON audit_log (at);
