// OpenLineage import: the jobs' READ edges (their inputs) and WROTE edges (outputs of events that
// did not fail; the latest writing run and time are kept). Jobs and datasets exist already.
// Parameters: $reads (list of maps: job {namespace, name}, dataset {namespace, name}), $writes
// (the same plus runId and at).
CALL {
  UNWIND $reads AS read
  MATCH (j:Job {namespace: read.job.namespace, name: read.job.name})
  MATCH (d:Dataset {namespace: read.dataset.namespace, name: read.dataset.name})
  MERGE (j)-[:READ]->(d)
}
CALL {
  UNWIND $writes AS write
  MATCH (j:Job {namespace: write.job.namespace, name: write.job.name})
  MATCH (d:Dataset {namespace: write.dataset.namespace, name: write.dataset.name})
  MERGE (j)-[w:WROTE]->(d)
  WITH w, write
  WHERE w.at IS NULL OR w.at <= write.at
  SET w.runId = write.runId, w.at = write.at
}
