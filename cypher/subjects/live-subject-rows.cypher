// Data subjects: "Which live source rows belong to this data subject, in which files, and which
// active models were trained on a run that read those files?" Rows are found by their `subject`
// id (indexed); `$subjectName` keeps the files whose rows are of that kind of subject, `$runId`
// the files that run read (a load Op-[:READ]->SourceFile).
// Parameters: $subject (the subject id as text), $subjectName (e.g. `client`, or null for any),
// $runId (only files this run read, or null for every file).
MATCH (r:SourceRow {subject: $subject})-[:IN_FILE]->(f:SourceFile)
WHERE ($subjectName IS NULL OR f.subjectName = $subjectName)
  AND ($runId IS NULL OR EXISTS { (:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f) })
CALL (f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
  RETURN collect(DISTINCT m.id) AS models
}
RETURN r.id AS id, f.id AS fileId, f.name AS file, f.table AS table, r.row AS row, r.key AS key,
  f.subjectName AS subjectName, false AS erased, null AS erasedBy, models
ORDER BY file, row, fileId
