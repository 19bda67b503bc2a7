// Write-back of an attribution job: one batch of top-k (Prediction)-[:INFLUENCED_BY]->(Sample) edges.
// Parameters: $method, $jobId, $rows (list of maps: prediction, sample, score, rank).
UNWIND $rows AS row
MATCH (p:Prediction {id: row.prediction})
MATCH (s:Sample {id: row.sample})
CREATE (p)-[:INFLUENCED_BY {score: row.score, rank: toInteger(row.rank), method: $method, jobId: $jobId}]->(s)
