// Unlearning job, a redelivery after the commit: the new model versions of the request whose test
// predictions are still to be written (their follow-up `predictions` jobs are queued again).
// Parameters: $id (request id).
MATCH (:UnlearningRequest {id: $id})-[:PRODUCED]->(m:Model)
WHERE m.predictionsState = 'pending'
RETURN m.id AS modelId
