// Unlearning: "How far is the kept encoder and scaler state of each model line this request
// updated from a refit without the erased rows?" The request's `encoderDrift` entries (JSON, one
// per line, in update order; none for a request that updated no line).
// Parameters: $id (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $id})
RETURN coalesce(u.encoderDrift, []) AS entries
