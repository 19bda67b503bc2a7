// Finds or creates a batch of SourceRows of a file that already has some (a re-ingest after an
// interrupted one, or a concurrent ingest of the same file). Never touches existing rows'
// properties, so an erased row stays erased (set-row-subjects gives existing rows their subject).
// Returns positions and internal node ids as create-source-rows does, and how many of the rows
// this batch created (the others existed).
// Parameters: $fileId, $start (int), $count (int), $keys (business key per row, or null),
// $subjects (subject id per row, or null).
MATCH (f:SourceFile {id: $fileId})
UNWIND range(0, $count - 1) AS i
OPTIONAL MATCH (existing:SourceRow {id: $fileId + ':' + toString($start + i)})
WITH f, i, existing IS NULL AS isNew
MERGE (r:SourceRow {id: $fileId + ':' + toString($start + i)})
  ON CREATE SET r.row = $start + i, r.key = $keys[i], r.subject = $subjects[i], r.erased = false
MERGE (r)-[:IN_FILE]->(f)
RETURN collect(i) AS positions, collect(id(r)) AS nodeIds, sum(CASE WHEN isNew THEN 1 ELSE 0 END) AS created
