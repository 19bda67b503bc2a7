// Workbench: "Which queue jobs wrote results into the graph lately?" — the JobRun records the
// exactly-once write-back keeps (one per BullMQ job id, or `unlearning-local-<request>` for an
// in-process erasure), newest first (by commit time, else creation), at most $limit, optionally
// of one kind ($kind: `attribution`, `unlearning`, `train`, …): status, times, deliveries and the
// attempt that committed. `total` counts every match.
// Parameters: $kind (a job kind, or null for every kind), $limit (integer, jobs returned).
CALL () {
  MATCH (x:JobRun)
  WHERE $kind IS NULL OR x.kind = $kind
  RETURN count(x) AS total
}
CALL () {
  MATCH (j:JobRun)
  WHERE $kind IS NULL OR j.kind = $kind
  WITH j ORDER BY coalesce(j.committedAt, j.createdAt) DESC, j.jobId LIMIT $limit
  RETURN collect(j {.jobId, .kind, .status, createdAt: toString(j.createdAt), committedAt: toString(j.committedAt),
    .deliveries, .attempt}) AS jobs
}
RETURN total, jobs
