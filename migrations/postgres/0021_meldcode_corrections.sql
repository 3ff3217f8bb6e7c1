-- A small correction of the meldcode text (a typing error, a phone number) is published as a new
-- version that does not ask everyone to confirm reading it again: a confirmation of the version it
-- corrects still counts. 1: a small correction; 0: a version everyone confirms.
ALTER TABLE meldcode_versions ADD COLUMN minor BIGINT NOT NULL DEFAULT 0;
