// Workbench model timeline: "Which versions does this model's line have, and what changed
// between them?" — from the newest version of the line the model belongs to (the head: no
// version SUPERSEDES it) down the SUPERSEDES chain, at most $limit versions: each with its status,
// training time, metrics, row counts, run, the version it supersedes, and the erasure
// (UnlearningRequest) that PRODUCED it, with its targeted rows and affected samples. `total` is
// the length of the whole chain. No record when there is no such model.
// Parameters: $modelId, $limit (integer, versions returned).
MATCH (m:Model {id: $modelId})
CALL (m) {
  MATCH (head:Model)-[:SUPERSEDES*0..]->(m)
  WHERE NOT EXISTS { (:Model)-[:SUPERSEDES]->(head) }
  RETURN head LIMIT 1
}
CALL (head) {
  MATCH p = (head)-[:SUPERSEDES*0..]->(v:Model)
  WITH v, length(p) AS depth ORDER BY depth
  RETURN collect(v) AS chain
}
CALL (chain) {
  UNWIND chain[..$limit] AS v
  OPTIONAL MATCH (v)-[:TRAINED_ON]->(run:Run)
  OPTIONAL MATCH (v)-[:SUPERSEDES]->(previous:Model)
  CALL (v) {
    OPTIONAL MATCH (u:UnlearningRequest)-[:PRODUCED]->(v)
    WITH u ORDER BY u.completedAt
    RETURN collect(CASE WHEN u IS NULL THEN null ELSE {id: u.id, mode: u.mode, status: u.status,
      requestedAt: toString(u.requestedAt), completedAt: toString(u.completedAt),
      targets: COUNT { (u)-[:TARGETS]->(:SourceRow) }, affected: COUNT { (u)-[:AFFECTED]->(:Sample) }} END) AS erasures
  }
  RETURN collect(v {.id, .version, .kind, .status, trainedAt: toString(v.trainedAt), supersededAt: toString(v.supersededAt),
    .trainAccuracy, .testAccuracy, .trainLoss, .testLoss, .trainRows, .testRows, .lambda, runId: run.id,
    supersedes: previous.id, producedBy: erasures}) AS versions
}
RETURN m.id AS modelId, head.id AS headId, size(chain) AS total, versions
