// Auditor: "Which source rows was this sample derived from — file, table, row number, business
// key — and which operations of its run touched them?" One record per source file: the rows as
// parallel lists (row numbers ascending), and the ops that touched them: the load op of the
// sample's run that read the file and every op downstream of it (AFTER, reversed), by seq.
// Row mode only: a sample of an op-mode run has no row provenance (no records come back).
// Parameters: $sampleId (Sample id, e.g. `<runId>:s:42`).
MATCH (s:Sample {id: $sampleId})-[:OUTPUT_OF]->(run:Run)
MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
WITH run, f, r ORDER BY r.row
WITH run, f, collect(r.id) AS rowIds, collect(r.row) AS rows, collect(r.key) AS keys, collect(r.erased) AS erased
CALL (run, f) {
  MATCH (run)-[:HAS_OP]->(load:Op)-[:READ]->(f)
  MATCH (load)<-[:AFTER*0..]-(op:Op)
  WITH DISTINCT op
  ORDER BY op.seq
  RETURN collect(op.id) AS opIds, collect(op.seq) AS opSeqs, collect(op.kind) AS opKinds, collect(op.name) AS opNames
}
RETURN run.id AS runId, f.id AS fileId, f.name AS file, f.table AS table, rowIds, rows, keys, erased,
  opIds, opSeqs, opKinds, opNames
ORDER BY table
