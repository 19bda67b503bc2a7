// Data subjects: "Which erased source rows belonged to this data subject?" An erased SourceRow
// keeps no subject id; its Tombstone keeps the id's salted hash (scoped by the subject name), so
// the caller hashes the requested id once per subject name and looks the hashes up here. Same
// columns as live-subject-rows.cypher; `erasedBy` is the request that erased the row first.
// Parameters: $lookups (list of maps: name, hash — the subject id's HMAC under the deployment's
// salt), $runId (only files this run read, or null for every file).
UNWIND $lookups AS l
MATCH (t:Tombstone {subjectHash: l.hash})
WHERE t.subjectName = l.name
MATCH (r:SourceRow {id: t.id})-[:IN_FILE]->(f:SourceFile)
WHERE $runId IS NULL OR EXISTS { (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f) }
CALL (f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
  RETURN collect(DISTINCT m.id) AS models
}
RETURN r.id AS id, f.id AS fileId, f.name AS file, f.table AS table, r.row AS row, null AS key,
  t.subjectName AS subjectName, true AS erased, t.requestId AS erasedBy, models
ORDER BY file, row, fileId
