// Auditor: "Which source rows was this sample derived from, and which operations touched them?"
// — sources-of-sample.cypher that also answers for a sample without row provenance, so one
// query tells "no such sample" (no record) from "an op-mode sample" (one record with a null
// fileId and empty lists). Otherwise one record per source file: the rows as parallel lists (row
// numbers ascending) and the ops that touched them (the load op of the sample's run that read the
// file and every op downstream of it, by seq). Every record carries the run's id and mode.
// Parameters: $sampleId (Sample id, e.g. `<runId>:s:42`).
MATCH (s:Sample {id: $sampleId})-[:OUTPUT_OF]->(run:Run)
OPTIONAL MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
WITH run, f, r ORDER BY r.row
WITH run, f, collect(r.id) AS rowIds, collect(r.row) AS rows, collect(r.key) AS keys, collect(r.erased) AS erased
CALL (run, f) {
  OPTIONAL MATCH (run)-[:HAS_OP]->(load:Op)-[:READ]->(f)
  OPTIONAL MATCH (load)<-[:AFTER*0..]-(op:Op)
  WITH DISTINCT op
  ORDER BY op.seq
  RETURN collect(op.id) AS opIds, collect(op.seq) AS opSeqs, collect(op.kind) AS opKinds, collect(op.name) AS opNames
}
RETURN run.id AS runId, run.mode AS mode, f.id AS fileId, f.name AS file, f.table AS table, rowIds, rows, keys, erased,
  opIds, opSeqs, opKinds, opNames
ORDER BY table
