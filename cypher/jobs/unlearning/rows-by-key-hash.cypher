// Unlearning: "Which erased source rows held these business keys (found by their tombstones' salted
// key hashes, since an erased SourceRow keeps no key), in which files, and which active models were
// trained on a run that read those files?" Same columns as rows-by-key.cypher; `id` is the
// tombstoned row's id (`<fileId>:<row>`).
// Parameters: $lookups (list of maps: key, table, keyColumn, hash — the key's HMAC under the
// deployment's salt), $runId (the target model's run, or null when no model is known yet).
UNWIND $lookups AS l
MATCH (t:Tombstone {keyHash: l.hash})
WHERE t.table = l.table AND t.keyColumn = l.keyColumn
MATCH (f:SourceFile {id: t.fileId})
CALL (f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
  RETURN collect(DISTINCT m.id) AS models
}
RETURN l.key AS key, t.id AS id, f.id AS fileId, f.name AS file, f.path AS path, models,
  $runId IS NOT NULL AND EXISTS { (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f) } AS inRun
ORDER BY key, id
