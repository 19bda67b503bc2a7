// Write-back of a predictions job: write-locks the model version and returns where its predictions
// stand (no row: the model is not in the graph).
// Parameters: $modelId.
MATCH (m:Model {id: $modelId})
SET m._lock = true
REMOVE m._lock
RETURN m.predictionsState AS state
