-- The foundation: the organisation, its schools, users with roles per school, sessions,
-- one-time links, login throttling and the audit log.
-- Times are unix seconds (UTC) in BIGINT columns; flags are 0/1 in BIGINT columns. The same
-- representation is used on PostgreSQL, so the store's queries and row types serve both.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    veilig_thuis_phone TEXT NOT NULL DEFAULT '0800-2000',
    emergency_phone TEXT NOT NULL DEFAULT '112',
    inspector_phone TEXT NOT NULL DEFAULT '0900-111 3111',
    created_at BIGINT NOT NULL
);

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE role_assignments (
    user_id BIGINT NOT NULL REFERENCES users (id),
    school_id BIGINT NOT NULL REFERENCES schools (id),
    role TEXT NOT NULL CHECK (role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie', 'beheerder')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, school_id, role)
);
CREATE INDEX role_assignments_school ON role_assignments (school_id, role);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'activation')),
    user_id BIGINT REFERENCES users (id),
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT,
    event TEXT NOT NULL,
    subject TEXT,
    address TEXT
);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
