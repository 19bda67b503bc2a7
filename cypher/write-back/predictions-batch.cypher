// Write-back of a predictions job: one batch of a model version's test Predictions -[:BY]->Model,
// -[:FOR]->Sample. MERGE: an attribution job may have created some already (same id, same score).
// A sample erased since the job read its inputs is left out (no prediction of erased data).
// Parameters: $modelId, $rows (list of maps: id, sampleId, score, label).
MATCH (m:Model {id: $modelId})
UNWIND $rows AS row
MATCH (s:Sample {id: row.sampleId})
WHERE s.erased IS NULL OR s.erased = false
MERGE (p:Prediction {id: row.id})
  ON CREATE SET p.score = row.score, p.label = row.label
MERGE (p)-[:BY]->(m)
MERGE (p)-[:FOR]->(s)
RETURN count(p) AS written
