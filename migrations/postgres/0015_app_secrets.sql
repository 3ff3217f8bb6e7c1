-- Keys the application signs its own cookies with (the anonymous form token, device cookies).
-- Made once, on first start, and shared by every instance through this table.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
