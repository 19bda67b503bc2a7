// Bench (erasure completeness): removes one fixture's run (ops, samples, models, predictions),
// its files' rows and tombstones, its requests and job runs, in batches.
// Parameters: $runId, $fileIds (its SourceFile ids), $requestPrefix (its request id prefix),
// $jobIds (prefixes of its JobRun ids).
CALL () {
  MATCH (n:Prediction)-[:BY]->(:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:Sample)-[:OUTPUT_OF]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (:Run {id: $runId})-[:HAS_OP]->(n:Op) RETURN n
  UNION
  MATCH (n:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:SourceRow)-[:IN_FILE]->(f:SourceFile) WHERE f.id IN $fileIds RETURN n
  UNION
  MATCH (n:SourceFile) WHERE n.id IN $fileIds RETURN n
  UNION
  MATCH (n:Tombstone) WHERE n.fileId IN $fileIds RETURN n
  UNION
  MATCH (n:UnlearningRequest) WHERE n.id STARTS WITH $requestPrefix RETURN n
  UNION
  MATCH (n:JobRun) WHERE any(j IN $jobIds WHERE n.jobId STARTS WITH j) RETURN n
}
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
