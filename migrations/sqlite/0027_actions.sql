-- Actions with deadlines (issue 18): the aandachtsfunctionaris or the case manager assigns an
-- action on a dossier to a colleague who may see it, or to themselves. The chronology holds the
-- record (entry kinds actie and actie_afgerond, append-only); this table keeps beside it what
-- the start page, the workspace and the reminders read without reading entries: whose action,
-- due when, closed or not.
CREATE TABLE dossier_actions (
    id INTEGER PRIMARY KEY,
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    entry_id BIGINT NOT NULL REFERENCES entries (id),
    assignee BIGINT NOT NULL REFERENCES users (id),
    what TEXT NOT NULL,
    due TEXT NOT NULL,
    assigned_by BIGINT NOT NULL REFERENCES users (id),
    assigned_at BIGINT NOT NULL,
    outcome TEXT CHECK (outcome IN ('gedaan', 'niet_gedaan')),
    closed_entry_id BIGINT REFERENCES entries (id),
    closed_at BIGINT
);
CREATE INDEX dossier_actions_dossier ON dossier_actions (dossier_id, closed_at);
-- The start page: a user's open actions, soonest due first.
CREATE INDEX dossier_actions_open ON dossier_actions (assignee, closed_at, due);
