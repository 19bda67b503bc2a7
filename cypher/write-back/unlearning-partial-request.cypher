// Unlearning: a request over several model lines failed after some of them committed: it stays
// `partial` (what is done is in `linesDone` and PRODUCED), with the error of the line that failed.
// Parameters: $id (request id), $code (error code), $message (error message), $linesLeft (model ids).
MATCH (u:UnlearningRequest {id: $id})
SET u.status = 'partial', u.error = $message, u.errorCode = $code, u.linesLeft = $linesLeft
RETURN u.id AS id
