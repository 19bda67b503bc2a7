// Predictions sweep: the model versions whose test predictions are still to be written (an erasure's
// new version, `predictionsState: 'pending'`), oldest first: a worker queues their follow-up jobs
// again at start, in case an enqueue was lost with its process.
// Parameters: none.
MATCH (m:Model) USING INDEX m:Model(predictionsState)
WHERE m.predictionsState = 'pending'
RETURN m.id AS modelId
ORDER BY m.trainedAt, m.id
