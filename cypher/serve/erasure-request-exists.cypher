// Serve: whether an erasure (UnlearningRequest) with this id is already recorded, and its status
// (a client-supplied request id must not overwrite an earlier request).
// Parameters: $id.
OPTIONAL MATCH (u:UnlearningRequest {id: $id})
RETURN u IS NOT NULL AS exists, u.status AS status
