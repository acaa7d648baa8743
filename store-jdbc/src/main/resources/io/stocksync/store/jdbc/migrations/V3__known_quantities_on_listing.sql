-- stocksync schema version 3: a listing's known quantities (location id -> quantity, encoded as
-- Codec.known does) move onto the listing's row, so planning reads one row per listing instead
-- of joining a second table row by row. Migrations copies the rows of ss_known_quantity into
-- this column and drops that table after this script (the copy needs the encoding, in Java).
ALTER TABLE ss_listing ADD COLUMN IF NOT EXISTS known VARCHAR;
