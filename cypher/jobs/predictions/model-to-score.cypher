// Predictions job read: the model version whose test predictions a follow-up job writes, where its
// predictions stand, and the samples of its run that requests dropped since (never scored again).
// No row when the model is not in the graph.
// Parameters: $modelId.
MATCH (m:Model {id: $modelId})-[:TRAINED_ON]->(run:Run)
CALL (run) {
  MATCH (s:Sample) USING INDEX s:Sample(erased)
  WHERE s.erased = true AND (s)-[:OUTPUT_OF]->(run)
  RETURN collect(s.id) AS dropped
}
RETURN m.id AS modelId, run.id AS runId, m.paramsSha256 AS paramsSha256,
       m.predictionsState AS state, dropped
