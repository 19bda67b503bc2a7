// Unlearning write-back, step 1: marks the request `complete` (or `partial`, when model lines of a
// request that reaches several are still to be updated) with its metrics, certificate and summary
// properties (counts, model ids, already-erased rows), and adds the model line to `linesDone`.
// `firstCommittedAt` is when its first line committed: models trained before it may hold its rows.
// `previousModelIds` and `modelIds` list every line's versions, before and after (the scalar
// `previousModelId` and `modelId` are the last committed line's).
// Parameters: $id (request id), $status (`complete` or `partial`), $line (the model the line's update
// started from), $mode, $metrics (JSON), $certificate (JSON, or null), $summary (map).
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime()
SET u.status = $status, u.mode = $mode, u.linesDone = coalesce(u.linesDone, []) + [$line], u.completedAt = datetime(),
    u.firstCommittedAt = coalesce(u.firstCommittedAt, datetime()),
    u.previousModelIds = coalesce(u.previousModelIds, []) + [$summary.previousModelId],
    u.modelIds = coalesce(u.modelIds, []) + [$summary.modelId], u.metrics = $metrics, u.certificate = $certificate,
    u.error = null, u.errorCode = null, u.linesLeft = CASE WHEN $status = 'complete' THEN null ELSE u.linesLeft END,
    u += $summary
RETURN u.id AS id
