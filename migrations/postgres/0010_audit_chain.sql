-- The audit log becomes tamper-evident: every row carries the hash of the previous row and its
-- own hash over both. The head row serialises writers, so the chain never forks.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    last_hash TEXT NOT NULL,
    writes BIGINT NOT NULL
);
INSERT INTO audit_head (id, last_hash, writes) VALUES (1, 'genesis', 0);

-- Append-only: a row can be written once (rows from before the chain get their hash once, at
-- start-up), and never deleted.
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.hash IS NOT NULL THEN
        RAISE EXCEPTION 'the audit log is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
