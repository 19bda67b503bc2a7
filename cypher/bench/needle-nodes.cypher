// Bench (erasure completeness): the nodes of one fixture — its run, ops, samples, models and
// predictions, the rows and tombstones of its files, its requests and job runs — that still hold
// one of the exact texts (a property equal to it, a list holding it, a text holding it as JSON
// "…") or of the fragments (a text containing it).
// Parameters: $runId, $fileIds (its SourceFile ids), $requestPrefix (its request id prefix),
// $jobIds (prefixes of its JobRun ids), $exact (keys and subject ids), $fragments (CSV lines).
CALL () {
  MATCH (n:Run {id: $runId}) RETURN n
  UNION
  MATCH (:Run {id: $runId})-[:HAS_OP]->(n:Op) RETURN n
  UNION
  MATCH (n:Sample)-[:OUTPUT_OF]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:Prediction)-[:BY]->(:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN n
  UNION
  MATCH (n:SourceFile) WHERE n.id IN $fileIds RETURN n
  UNION
  MATCH (n:SourceRow)-[:IN_FILE]->(f:SourceFile) WHERE f.id IN $fileIds RETURN n
  UNION
  MATCH (n:Tombstone) WHERE n.fileId IN $fileIds RETURN n
  UNION
  MATCH (n:UnlearningRequest) WHERE n.id STARTS WITH $requestPrefix RETURN n
  UNION
  MATCH (n:JobRun) WHERE any(j IN $jobIds WHERE n.jobId STARTS WITH j) RETURN n
}
WITH n, [k IN keys(n) | n[k]] AS values
UNWIND $exact + $fragments AS needle
WITH n, needle, values
WHERE any(v IN values WHERE
        (needle IN $exact AND (v = needle OR (v IS :: LIST<ANY> AND needle IN v)
                               OR (v IS :: STRING AND v CONTAINS ('"' + needle + '"'))))
        OR (v IS :: STRING AND v CONTAINS needle AND NOT needle IN $exact))
RETURN labels(n)[0] AS label, coalesce(n.id, n.jobId, n.sha256) AS id, needle
LIMIT 1000
