-- Unit codes are one code without regard to case: `ZS` and `zs` cannot both be recorded.
-- Kept in step with migrations/sqlite/0005_unit_code_nocase.sql.
-- The program compares codes by Rust's lower case on both backends; this index is the
-- database's backstop. A database that already holds two codes differing only in case cannot
-- take this index: the program then names the codes and stops, and nothing is changed until one
-- of them is renamed (see the README).
CREATE UNIQUE INDEX units_by_code_nocase ON units (lower(code));
