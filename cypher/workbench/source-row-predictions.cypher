// Workbench: "Which predictions does this source row reach?" — the predictions made for the
// samples derived from the row (`scored`: active models first, then newer versions) and the
// predictions whose attribution top-k holds such a sample (`influenced`: largest |score| first),
// at most $limit of each, with their totals. No record when there is no such row.
// Parameters: $sourceRowId (SourceRow id, `<file sha256>:<row>`), $limit (integer, per list).
MATCH (r:SourceRow {id: $sourceRowId})
CALL (r) {
  OPTIONAL MATCH (r)<-[:DERIVED_FROM]-(s:Sample)<-[:FOR]-(p:Prediction)-[:BY]->(m:Model)
  WITH p, s, m ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, m.version DESC, p.id LIMIT $limit
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {id: p.id, modelId: m.id, modelVersion: m.version,
    modelStatus: m.status, sampleId: s.id, score: p.score, label: p.label} END) AS scored
}
CALL (r) {
  OPTIONAL MATCH (r)<-[:DERIVED_FROM]-(s:Sample)<-[i:INFLUENCED_BY]-(p:Prediction)-[:BY]->(m:Model)
  WITH p, s, m, i ORDER BY abs(i.score) DESC, p.id LIMIT $limit
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {id: p.id, modelId: m.id, modelVersion: m.version,
    modelStatus: m.status, sampleId: s.id, rank: i.rank, score: i.score, method: i.method} END) AS influenced
}
RETURN scored, influenced,
  COUNT { (r)<-[:DERIVED_FROM]-(:Sample)<-[:FOR]-(:Prediction) } AS scoredTotal,
  COUNT { (r)<-[:DERIVED_FROM]-(:Sample)<-[:INFLUENCED_BY]-(:Prediction) } AS influencedTotal
