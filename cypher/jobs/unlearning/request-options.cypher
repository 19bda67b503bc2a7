// Unlearning: the options recorded on a request node when it was made (they do not travel in the
// queue payload): verify against a gold retrain, certificate budget, fewest training rows to leave.
// Parameters: $id (UnlearningRequest id).
MATCH (u:UnlearningRequest {id: $id})
RETURN u.verify AS verify, u.budget AS budget, u.minTrainingRows AS minTrainingRows
