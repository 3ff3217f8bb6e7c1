-- What the organisation must see to (meldcode IV.b): training, the published meldcode text and
-- who confirmed reading it, the Veilig Thuis region, and the yearly evaluation by the board.
ALTER TABLE organisations ADD COLUMN veilig_thuis_region TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN training_interval_months BIGINT NOT NULL DEFAULT 24;

CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    followed_on TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX trainings_user ON trainings (user_id, followed_on);

CREATE TABLE meldcode_versions (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users (id),
    UNIQUE (organisation_id, version)
);

CREATE TABLE meldcode_acknowledgements (
    user_id BIGINT NOT NULL REFERENCES users (id),
    version_id BIGINT NOT NULL REFERENCES meldcode_versions (id),
    acknowledged_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, version_id)
);

CREATE TABLE annual_evaluations (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    year BIGINT NOT NULL,
    evaluation TEXT NOT NULL,
    actions TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (organisation_id, year)
);
