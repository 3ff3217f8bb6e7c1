-- E-mail about notifications: each notification is mailed once at most ('pending' until the
-- sender has looked at it; then 'sent', 'grouped' when one of the same kind went to the same user
-- less than ten minutes before, or 'none' for kinds that are never mailed).
ALTER TABLE notifications ADD COLUMN mail_state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE notifications ADD COLUMN mailed_at BIGINT;
CREATE INDEX notifications_mail ON notifications (mail_state, id);
CREATE INDEX notifications_mailed ON notifications (user_id, kind, mailed_at);
-- Existing notifications are not mailed after the fact.
UPDATE notifications SET mail_state = 'none';

-- Background jobs run on one instance at a time: the instance holding a job's lease runs it.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until BIGINT NOT NULL
);
