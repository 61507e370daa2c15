-- A person's real name: given with the invitation, or asked on joining; until then the name
-- Telegram gives is kept and `name_confirmed` is 0. The office can correct it.
ALTER TABLE invites ADD COLUMN name TEXT NULL;
ALTER TABLE people ADD COLUMN name_confirmed INTEGER NOT NULL DEFAULT 0;
