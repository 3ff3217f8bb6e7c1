-- An organisation's own signal list per age band ('0-4', '4-12', '12-18'), as plain text.
-- Without a row the application's default list for the band is used.
CREATE TABLE signal_lists (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    band TEXT NOT NULL CHECK (band IN ('0-4', '4-12', '12-18')),
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (organisation_id, band)
);
