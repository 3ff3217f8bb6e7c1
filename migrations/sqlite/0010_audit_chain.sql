-- The audit log becomes tamper-evident: every row carries the hash of the previous row and its
-- own hash over both. The head row serialises writers, so the chain never forks.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL,
    writes BIGINT NOT NULL
);
INSERT INTO audit_head (id, last_hash, writes) VALUES (1, 'genesis', 0);

-- Append-only: a row can be written once (rows from before the chain get their hash once, at
-- start-up), and never deleted.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
