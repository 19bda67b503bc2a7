// Unlearning: records a request when it is made (MERGE by id: recording twice changes nothing
// more), `queued`, or `failed` with its error when it is rejected at once.
// Parameters: $id (request id), $status (`queued` or `failed`), $mode (`drop` or `recompute`),
// $target (the target as JSON), $modelId (or null), $verify, $budget (or null), $minTrainingRows
// (or null), $error (message, or null), $errorCode (or null).
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime()
SET u.status = $status, u.mode = $mode, u.target = $target, u.modelId = $modelId, u.verify = $verify, u.budget = $budget,
    u.minTrainingRows = $minTrainingRows,
    u.error = $error, u.errorCode = $errorCode,
    u.completedAt = CASE WHEN $status = 'failed' THEN datetime() ELSE null END
