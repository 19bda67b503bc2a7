// Model versions whose test predictions a follow-up `predictions` job has still to write (an
// erasure's new version) are found by the worker's sweep without scanning every model: a range
// index on Model.predictionsState.
// Parameters: none.
CREATE INDEX model_predictions_state IF NOT EXISTS FOR (m:Model) ON (m.predictionsState);
