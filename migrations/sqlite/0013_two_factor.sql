-- Two-factor authentication with an authenticator app (TOTP), recovery codes (only their hashes),
-- and which roles the organisation requires it for.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at BIGINT;
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
ALTER TABLE organisations ADD COLUMN two_factor_roles TEXT NOT NULL
    DEFAULT 'aandachtsfunctionaris directie beheerder privacy';
