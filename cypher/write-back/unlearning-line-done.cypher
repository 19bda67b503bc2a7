// Unlearning, a request over several model lines: a line with nothing to update (every row was
// erased on it by earlier requests) is marked done; the request becomes `complete` when it is the last.
// Parameters: $id (request id), $line (model id), $status (`complete` or `partial`).
MATCH (u:UnlearningRequest {id: $id})
SET u.linesDone = coalesce(u.linesDone, []) + [$line], u.status = $status,
    u.completedAt = CASE WHEN $status = 'complete' THEN datetime() ELSE u.completedAt END
RETURN u.id AS id
