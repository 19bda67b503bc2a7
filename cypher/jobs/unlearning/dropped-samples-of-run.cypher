// Unlearning read: the samples of a run that earlier requests dropped (their data erased): no new
// model version scores them, whichever line the request that dropped them updated.
// Parameters: $runId.
MATCH (s:Sample {erased: true})-[:OUTPUT_OF]->(:Run {id: $runId})
RETURN s.id AS id
