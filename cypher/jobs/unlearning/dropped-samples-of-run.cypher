// Unlearning read: the samples of a run that earlier requests dropped (their data erased): no new
// model version scores them, whichever line the request that dropped them updated. Reached from
// the erased samples (index on Sample.erased), not by expanding every sample of the run.
// Parameters: $runId.
MATCH (s:Sample) USING INDEX s:Sample(erased)
WHERE s.erased = true AND (s)-[:OUTPUT_OF]->(:Run {id: $runId})
RETURN s.id AS id
