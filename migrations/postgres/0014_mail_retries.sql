-- The outbox never keeps a row for ever: every claim for sending counts as an attempt, a failed
-- attempt waits until mail_after before the next, and after a bounded number the row becomes
-- 'failed'. A row left in 'sending' by a process that died is sendable again once mail_after
-- (the claim's end) has passed.
ALTER TABLE notifications ADD COLUMN mail_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN mail_after BIGINT NOT NULL DEFAULT 0;
