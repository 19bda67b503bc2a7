// Auditor: "What depends on this source row?" — the runs that read its file and, per run, the
// samples derived from the row (row mode; a row-mode run whose samples do not use the row is
// left out) and the models trained on the run. `via` is `row` when the dependency is row-level,
// `file` when the run kept op-level lineage only.
// Parameters: $sourceRowId (SourceRow id, `<file sha256>:<row>`).
MATCH (r:SourceRow {id: $sourceRowId})-[:IN_FILE]->(f:SourceFile)
CALL (r, f) {
  OPTIONAL MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(run:Run)
  WITH DISTINCT run
  CALL (r, run) {
    // From the row (a few samples), then the run of each: expanding from the run would visit
    // every sample of it (measured: 231,743 db hits at 20k applicants instead of a handful).
    MATCH (r)<-[:DERIVED_FROM]-(s:Sample)
    WITH s WHERE (s)-[:OUTPUT_OF]->(run)
    WITH s ORDER BY s.index
    RETURN collect(s {.id, .index, .split, .key, .label}) AS samples
  }
  WITH run, samples
  WHERE run IS NOT NULL AND (run.mode <> 'row' OR size(samples) > 0)
  CALL (run) {
    OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
    RETURN collect(m {.id, .version, .kind, .status}) AS models
  }
  WITH run, samples, models ORDER BY run.startedAt, run.id
  RETURN collect(run {.id, .pipeline, .mode, .status, via: CASE run.mode WHEN 'row' THEN 'row' ELSE 'file' END,
    samples: samples, models: models}) AS runs
}
RETURN r {.id, .row, .key, .erased} AS sourceRow, f {.id, .name, .table} AS file, runs
