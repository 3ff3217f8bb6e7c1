-- A teacher's request to the aandachtsfunctionaris for a consultation (step 2). It waits in the
-- workspace until the answer is recorded as the step-2 entry of the dossier.
CREATE TABLE consultation_requests (
    id INTEGER PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    question TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    answer_entry_id BIGINT REFERENCES entries (id)
);
CREATE INDEX consultation_requests_dossier ON consultation_requests (dossier_id);
CREATE INDEX consultation_requests_open ON consultation_requests (answered_at, dossier_id);
