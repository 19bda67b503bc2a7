// Unlearning, after the attribution jobs of a request's re-attribution are queued: records their
// job ids on the request (`reattributionJobs`, every line's; empty when nothing needed it).
// Idempotent: a retry that queues the same jobs sets the same list.
// Parameters: $id (request id), $jobIds (list of attribution job ids).
MATCH (u:UnlearningRequest {id: $id})
SET u.reattributionJobs = $jobIds
RETURN u.id AS id
