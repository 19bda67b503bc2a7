// Write-back of a model version: one batch of its Predictions -[:BY]->Model, -[:FOR]->Sample;
// `created` is less than the batch size when Samples are missing.
// Parameters: $modelId, $rows (list of maps: id, sampleId, score, label).
MATCH (m:Model {id: $modelId})
UNWIND $rows AS row
MATCH (s:Sample {id: row.sampleId})
CREATE (p:Prediction {id: row.id, score: row.score, label: row.label})
CREATE (p)-[:BY]->(m), (p)-[:FOR]->(s)
RETURN count(p) AS created
