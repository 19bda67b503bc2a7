// Unlearning: marks a request `failed` with the error's code and message after a permanent failure
// (in the job's exactly-once transaction); nothing else is touched.
// Parameters: $id (request id), $mode, $code (error code), $message (error message).
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime(), u.mode = $mode
SET u.status = 'failed', u.completedAt = datetime(), u.error = $message, u.errorCode = $code
