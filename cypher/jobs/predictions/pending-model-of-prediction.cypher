// Trace by prediction id (`<modelId>:<sampleId>`) that found no Prediction: the model version it
// names when that version's test predictions are still to be written (`predictionsState: 'pending'`).
// Parameters: $predictionId.
MATCH (m:Model) USING INDEX m:Model(predictionsState)
WHERE m.predictionsState = 'pending' AND $predictionId STARTS WITH m.id + ':'
RETURN m.id AS modelId, m.predictionsPending AS count
