-- Alerts that do not flood (issue 18): each user chooses per kind of notification how often they
-- are e-mailed about it: per event (grouped per ten minutes, as before), in a daily overview or
-- in a weekly one (domain::alerts::Cadence). A kind without a row here is mailed per event, so
-- nothing changes for a user who never chooses. Only the overviews are stored: 'dagelijks' or
-- 'wekelijks', the codes of domain::alerts::Cadence.
CREATE TABLE user_alert_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    cadence TEXT NOT NULL CHECK (cadence IN ('dagelijks', 'wekelijks')),
    PRIMARY KEY (user_id, kind)
);

-- One overview e-mail: to whom, daily or weekly, and the moment it is for (due_at, unix seconds:
-- 07:00 in the Netherlands, domain::alerts::latest_due). The unique key makes it one e-mail per
-- user, cadence and moment however many senders run at once. Its state follows the outbox's
-- (0006, 0014): 'pending' until a sender claims it ('sending' until not_before, counting the
-- attempt), then 'sent', 'none' (nothing left to say) or 'failed'; a failed attempt waits until
-- not_before, and a claim whose sender died is taken again once not_before has passed.
CREATE TABLE mail_digests (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    cadence TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    not_before BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    UNIQUE (user_id, cadence, due_at)
);
CREATE INDEX mail_digests_state ON mail_digests (state, not_before);

-- A notification of a kind its user wants in an overview stays 'pending' in the outbox, which
-- leaves it to the overview; the overview that takes it is noted here, and when that is sent the
-- notification becomes 'digested'.
ALTER TABLE notifications ADD COLUMN digest_id BIGINT REFERENCES mail_digests (id);
CREATE INDEX notifications_digest ON notifications (digest_id);
