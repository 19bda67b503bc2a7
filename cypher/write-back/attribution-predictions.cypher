// Write-back of an attribution job: MERGEs one batch of Predictions (-[:BY]->Model,
// -[:FOR]->Sample) and deletes their earlier INFLUENCED_BY and SOURCE_SHARE edges of the method.
// Parameters: $modelId, $method, $rows (list of maps: id, sampleId, score, label).
UNWIND $rows AS row
MATCH (m:Model {id: $modelId})
MATCH (s:Sample {id: row.sampleId})
MERGE (p:Prediction {id: row.id})
  ON CREATE SET p.score = row.score, p.label = toInteger(row.label)
MERGE (p)-[:BY]->(m)
MERGE (p)-[:FOR]->(s)
WITH p
OPTIONAL MATCH (p)-[old:INFLUENCED_BY|SOURCE_SHARE {method: $method}]->()
DELETE old
