// Write-back of an attribution job: one batch of (Prediction)-[:SOURCE_SHARE]->(SourceFile) edges.
// Parameters: $method, $jobId, $rows (list of maps: prediction, file, share, basis, unattributed).
UNWIND $rows AS row
MATCH (p:Prediction {id: row.prediction})
MATCH (f:SourceFile {id: row.file})
CREATE (p)-[:SOURCE_SHARE {share: row.share, method: $method, basis: row.basis, unattributed: row.unattributed, jobId: $jobId}]->(f)
