// Unlearning write-back, step 1: marks the request `complete` with its metrics, certificate and
// summary properties (counts, model ids, already-erased rows).
// Parameters: $id (request id), $mode, $metrics (JSON), $certificate (JSON, or null), $summary (map).
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime()
SET u.status = 'complete', u.mode = $mode, u.completedAt = datetime(), u.metrics = $metrics, u.certificate = $certificate,
    u.error = null, u.errorCode = null, u += $summary
RETURN u.id AS id
