// Unlearning: "Which source rows hold these business keys, in which files, and which active models
// were trained on a run that read those files?" `inRun` says whether the target model's run read
// the row's file; `models` lists the active models whose run read it (to find the one model a
// request without `--model` is about, or to refuse when several are).
// Parameters: $keys (list of keys as text), $table (logical table or key column, or null),
// $runId (the target model's run, or null when no model is known yet).
UNWIND $keys AS key
MATCH (r:SourceRow {key: key})-[:IN_FILE]->(f:SourceFile)
WHERE $table IS NULL OR f.table = $table OR f.keyColumn = $table
CALL (f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
  RETURN collect(DISTINCT m.id) AS models
}
RETURN key, r.id AS id, f.id AS fileId, f.name AS file, f.path AS path, models,
  $runId IS NOT NULL AND EXISTS { (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f) } AS inRun
ORDER BY key, id
