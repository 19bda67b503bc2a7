// Auditor: "If we erase this source row (GDPR), what is affected?" — per run that depends on it:
// how many samples (train / test) derive from it, and the models trained on that run (an active
// one needs unlearning). Op-mode runs that read the row's file are listed with `via: 'file'`
// (their samples cannot be told apart). One row per dependent run; none when nothing depends on it.
// Parameters: $sourceRowId (SourceRow id, `<file sha256>:<row>`).
MATCH (r:SourceRow {id: $sourceRowId})-[:IN_FILE]->(f:SourceFile)
MATCH (f)<-[:READ]-(:Op)<-[:HAS_OP]-(run:Run)
WITH DISTINCT r, f, run
CALL (r, run) {
  OPTIONAL MATCH (r)<-[:DERIVED_FROM]-(s:Sample)-[:OUTPUT_OF]->(run)
  RETURN count(s) AS samples, count(CASE s.split WHEN 'train' THEN 1 END) AS trainSamples
}
WITH r, f, run, samples, trainSamples
WHERE run.mode <> 'row' OR samples > 0
OPTIONAL MATCH (m:Model)-[:TRAINED_ON]->(run)
RETURN r.id AS sourceRowId, f.name AS file, r.row AS row, r.key AS key, r.erased AS erased, run.id AS runId,
  run.status AS runStatus, CASE run.mode WHEN 'row' THEN 'row' ELSE 'file' END AS via, samples, trainSamples,
  collect(m {.id, .version, .status}) AS models,
  size([x IN collect(m) WHERE x.status = 'active']) AS activeModels
ORDER BY runId
