-- A person's real name: given with the invitation, or asked on joining; until then the name
-- Telegram gives is kept and `name_confirmed` is 0. The office can correct it.
ALTER TABLE invites ADD COLUMN name TEXT NULL;
ALTER TABLE people ADD COLUMN name_confirmed INTEGER NOT NULL DEFAULT 0;
-- Whether the bot asked the person for their name on joining (and so takes their next plain
-- text as the answer). People registered before names were asked are never asked unawares:
-- they give their name with /name.
ALTER TABLE people ADD COLUMN name_asked INTEGER NOT NULL DEFAULT 0;
