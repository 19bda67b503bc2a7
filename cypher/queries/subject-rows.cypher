// Auditor (subject access request): "What does the graph hold of this data subject's source
// rows, and where did they go?" For each row (found by `traceprop query subject ID`: live rows by
// their `subject` id, erased ones by their tombstone's subject hash): its file, table, row, key
// and whether it is erased; the runs that read its file and, per run, the samples derived from
// the row (row mode; an op-mode run has no row provenance and is listed `via: 'file'`), with
// what erasures did to them (`erased`: dropped, `rederivedBy`), and the active models trained on
// the run. A row-mode run none of whose samples uses the row is left out.
// Parameters: $rowIds (the subject's SourceRow ids), $runId (only this run, or null for every run).
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})-[:IN_FILE]->(f:SourceFile)
CALL (r, f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(run:Run)
  WHERE $runId IS NULL OR run.id = $runId
  WITH DISTINCT run
  CALL (r, run) {
    // From the row, then each sample's run (never every sample of the run: see descendants.cypher).
    MATCH (r)<-[:DERIVED_FROM]-(s:Sample)
    WITH s WHERE (s)-[:OUTPUT_OF]->(run)
    WITH s ORDER BY s.index
    RETURN collect(s {.id, .key, .split, .erased, .rederivedBy}) AS samples
  }
  WITH run, samples
  WHERE run IS NOT NULL AND (run.mode <> 'row' OR size(samples) > 0)
  CALL (run) {
    OPTIONAL MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(run)
    WITH m ORDER BY m.id
    RETURN collect(m {.id, .version, .kind}) AS models
  }
  WITH run, samples, models ORDER BY run.startedAt, run.id
  RETURN collect(run {.id, .pipeline, .mode, .status, via: CASE run.mode WHEN 'row' THEN 'row' ELSE 'file' END,
    samples: samples, models: models}) AS runs
}
RETURN r.id AS id, f.id AS fileId, f.name AS file, f.table AS table, r.row AS row, r.key AS key,
  coalesce(r.erased, false) AS erased, r.erasedBy AS erasedBy, runs
