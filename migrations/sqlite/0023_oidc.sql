-- Single sign-on with OpenID Connect (web::oidc): the organisation's identity provider, as the
-- beheerder configured it, and the accounts linked to a subject of that provider.
-- The client secret is kept as given: the project has no facility for encrypting a column at rest
-- yet (the database and its backups are the secret's protection, as they are the dossiers').
-- `domains` are the e-mail domains the provider covers, space-separated; a login whose address
-- is in one of them is matched even when the provider does not say the address was verified.
-- `create_school_id`: a login with an address in those domains that finds no account makes one,
-- a beroepskracht of this school; NULL (the default): a login never makes an account.
CREATE TABLE oidc_providers (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    preset TEXT NOT NULL,
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    domains TEXT NOT NULL DEFAULT '',
    password_login BIGINT NOT NULL DEFAULT 1,
    create_school_id BIGINT REFERENCES schools (id),
    updated_at BIGINT NOT NULL
);

-- A provider's subject, once a login matched it to a user by e-mail address: later logins find
-- the user by issuer and subject, whatever address the provider then gives.
CREATE TABLE oidc_links (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_links_user ON oidc_links (user_id);
