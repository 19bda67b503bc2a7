// Auditor: "Which samples (rows of which runs' model matrices) were fed by this source row?"
// Row-level provenance only (runs in op mode record no DERIVED_FROM edges).
// Parameters: $sourceRowId (SourceRow id, `<file sha256>:<row>`).
MATCH (:SourceRow {id: $sourceRowId})<-[:DERIVED_FROM]-(s:Sample)-[:OUTPUT_OF]->(run:Run)
RETURN run.id AS runId, run.pipeline AS pipeline, run.status AS runStatus, s.id AS sampleId, s.index AS index,
  s.split AS split, s.key AS key, s.label AS label
ORDER BY runId, split, index
