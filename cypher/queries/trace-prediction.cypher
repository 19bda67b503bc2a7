// Auditor: "Why this prediction?" — `traceprop trace` in one read query: the prediction's top
// training samples (INFLUENCED_BY, by rank), each with its source rows (file, row, key, erased),
// the attribution share per source file (largest first), and the run the model was trained on
// with its ops in order (what every sample went through).
// Parameters: $predictionId (`<modelId>:<sampleId>`), $top (integer, how many training samples),
// $method (attribution method of the edges, e.g. `ns`, or null for any).
MATCH (p:Prediction {id: $predictionId})-[:BY]->(m:Model)
OPTIONAL MATCH (p)-[:FOR]->(target:Sample)
CALL (p) {
  OPTIONAL MATCH (p)-[i:INFLUENCED_BY]->(s:Sample) WHERE $method IS NULL OR i.method = $method
  WITH i, s ORDER BY i.rank, i.score DESC LIMIT $top
  CALL (s) {
    OPTIONAL MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
    WITH r, f ORDER BY f.name, r.row
    RETURN collect(CASE WHEN r IS NULL THEN null ELSE {file: f.name, fileId: f.id, table: f.table, row: r.row, key: r.key, erased: coalesce(r.erased, false)} END) AS rows
  }
  RETURN collect(CASE WHEN i IS NULL THEN null ELSE {rank: i.rank, score: i.score, method: i.method, sample: s.id, key: s.key, label: s.label, sourceRows: rows} END) AS influences
}
CALL (p) {
  OPTIONAL MATCH (p)-[sh:SOURCE_SHARE]->(f:SourceFile) WHERE $method IS NULL OR sh.method = $method
  WITH sh, f ORDER BY sh.share DESC
  RETURN collect(CASE WHEN sh IS NULL THEN null ELSE {file: f.name, fileId: f.id, table: f.table, share: sh.share, method: sh.method} END) AS shares
}
CALL (m) {
  OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
  OPTIONAL MATCH (run)-[:HAS_OP]->(o:Op)
  OPTIONAL MATCH (o)-[:AFTER]->(prev:Op)
  WITH run, o, collect(prev.seq) AS after ORDER BY o.seq
  RETURN run.id AS runId, collect(CASE WHEN o IS NULL THEN null ELSE {seq: o.seq, kind: o.kind, name: o.name, after: after} END) AS ops
}
RETURN p {.id, .score, .label} AS prediction, m {.id, .version, .status} AS model,
       CASE WHEN target IS NULL THEN null ELSE target {.id, .key} END AS sample,
       influences, shares, runId, ops
