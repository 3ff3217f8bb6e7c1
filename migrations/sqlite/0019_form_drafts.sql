-- A form sent after its session had ended: what the user typed, kept for that user alone until
-- they log in again and find it back in the form (web::drafts). One per user, the latest. The text
-- may be dossier content, so it is kept briefly (domain::session::draft_kept_until) and deleted
-- when restored or by the tidy-up job when it expires (jobs.rs).
CREATE TABLE form_drafts (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    form_path TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_drafts_expires ON form_drafts (expires_at);
