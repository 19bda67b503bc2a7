// Write-back of an unlearning line: the new model version's test predictions are written by a
// follow-up `predictions` job after this transaction commits; the version says so until then.
// Parameters: $modelId, $count (test predictions to write).
MATCH (m:Model {id: $modelId})
SET m.predictionsState = 'pending', m.predictionsPending = $count
