// What `verify graph` compares with the `attribution` statements: per job, whether its JobRun is
// committed, its model's parameter hash and run, the INFLUENCED_BY and SOURCE_SHARE edges stamped
// with the job id on the model's predictions (counts, predictions with an influence, per source
// file the predictions with a share and their mean share), and the erasure requests that scrubbed
// attribution edges of the model's predictions (`attributionScrubbedBy`).
// Parameters: $jobs (list of maps: jobId, modelId).
UNWIND $jobs AS job
OPTIONAL MATCH (j:JobRun {jobId: job.jobId})
OPTIONAL MATCH (m:Model {id: job.modelId})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
CALL {
  WITH m, job
  OPTIONAL MATCH (p:Prediction)-[:BY]->(m)
  OPTIONAL MATCH (p)-[i:INFLUENCED_BY {jobId: job.jobId}]->(:Sample)
  RETURN count(i) AS influencedBy, count(DISTINCT CASE WHEN i IS NULL THEN null ELSE p END) AS predictions,
    [r IN collect(DISTINCT p.attributionScrubbedBy) WHERE r IS NOT NULL] AS scrubbedBy
}
CALL {
  WITH m, job
  OPTIONAL MATCH (p:Prediction)-[:BY]->(m)
  OPTIONAL MATCH (p)-[e:SOURCE_SHARE {jobId: job.jobId}]->(f:SourceFile)
  WITH f, count(e) AS n, avg(e.share) AS mean
  RETURN sum(n) AS sourceShares, [x IN collect({file: f.id, predictions: n, meanShare: mean}) WHERE x.file IS NOT NULL] AS shares
}
RETURN job.jobId AS jobId, j IS NOT NULL AS jobFound, j.kind AS jobKind, j.status AS jobStatus,
  m IS NOT NULL AS modelFound, m.paramsSha256 AS paramsSha256, run.id AS runId,
  influencedBy, predictions, scrubbedBy, sourceShares, shares
