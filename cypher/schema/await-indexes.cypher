// Waits (up to 300 s) until every index, the schema's own included, is online: run after the
// numbered schema files, so that the first look-ups and MERGEs use the indexes.
// Parameters: none.
CALL db.awaitIndexes(300)
