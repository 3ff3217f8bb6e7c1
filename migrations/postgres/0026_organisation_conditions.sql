-- What the organisation must see to (meldcode section IV.b, issue 18): how it supports staff who
-- are held to account, in or out of court, for how they applied the meldcode (a text and whom to
-- contact: a name and a phone number or e-mail address; empty until the beheerder records it),
-- and after how many days without an entry an open dossier counts as quiet (3 to 90, checked in
-- domain::dossier::QuietDays; 14 until the organisation chooses).
ALTER TABLE organisations ADD COLUMN support_text TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN support_contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN support_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN quiet_days BIGINT NOT NULL DEFAULT 14;
