-- Pupils, dossiers with their members, append-only entries, and in-app notifications.

CREATE TABLE pupils (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools (id),
    name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX pupils_school ON pupils (school_id, name);

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    school_id BIGINT NOT NULL REFERENCES schools (id),
    pupil_id BIGINT NOT NULL REFERENCES pupils (id),
    route TEXT NOT NULL CHECK (route IN ('stappenplan', 'medewerker')),
    forms TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'gesloten')),
    close_reason TEXT,
    emergency BIGINT NOT NULL DEFAULT 0,
    opened_by BIGINT NOT NULL REFERENCES users (id),
    opened_at BIGINT NOT NULL,
    last_entry_at BIGINT NOT NULL
);
CREATE INDEX dossiers_school ON dossiers (school_id, status, last_entry_at);
CREATE INDEX dossiers_opened_by ON dossiers (opened_by);

CREATE TABLE dossier_members (
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    added_by BIGINT NOT NULL REFERENCES users (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, user_id)
);
CREATE INDEX dossier_members_user ON dossier_members (user_id);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    kind TEXT NOT NULL,
    step BIGINT,
    author_id BIGINT NOT NULL REFERENCES users (id),
    author_role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    refers_to BIGINT REFERENCES entries (id),
    body TEXT NOT NULL
);
CREATE INDEX entries_dossier ON entries (dossier_id, id);

-- A dossier is a legal record: entries are never changed or deleted by the application.
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only');
END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'dossier entries are append-only');
END;

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    dossier_id BIGINT REFERENCES dossiers (id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

ALTER TABLE audit_log ADD COLUMN dossier_id BIGINT;
CREATE INDEX audit_log_dossier ON audit_log (dossier_id, at);
