// The tombstones an ingest or a recompute of the given files must honour: those of the files
// themselves (matched by row) and the key-hashed ones of their tables (matched by key, so a new
// extract of a table with an erased record is caught too). Tables are $tables plus those of
// the files already in the graph. Parallel lists in one record (`''` for a missing key column,
// key hash or salt).
// Parameters: $fileIds (SourceFile ids = content sha256), $tables (logical table names).
OPTIONAL MATCH (f:SourceFile) WHERE f.id IN $fileIds
WITH $tables + collect(DISTINCT f.table) AS tables
CALL (tables) {
  MATCH (t:Tombstone) WHERE t.fileId IN $fileIds
  RETURN t
  UNION
  MATCH (t:Tombstone) WHERE t.table IN tables AND t.keyHash IS NOT NULL
  RETURN t
}
RETURN collect(t.fileId) AS fileIds, collect(t.row) AS rows, collect(t.table) AS tables,
  collect(coalesce(t.keyColumn, '')) AS keyColumns, collect(coalesce(t.keyHash, '')) AS keyHashes,
  collect(coalesce(t.saltId, '')) AS saltIds, collect(t.requestId) AS requestIds
