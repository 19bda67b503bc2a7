// Unlearning: "Which model lines has this request already updated?" (a request over several lines,
// retried after some of them committed), and its status.
// Parameters: $id (request id).
OPTIONAL MATCH (u:UnlearningRequest {id: $id})
RETURN coalesce(u.linesDone, []) AS lines, u.status AS status
