// Train job: the run's samples that completed unlearning requests dropped (erased) or re-derived,
// with the model each re-deriving request produced (its artifact holds the re-derived row).
// Parameters: $runId.
MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
WHERE s.erased OR s.rederivedBy IS NOT NULL
OPTIONAL MATCH (:UnlearningRequest {id: s.rederivedBy})-[:PRODUCED]->(m:Model)
RETURN s.id AS id, coalesce(s.erased, false) AS erased, s.rederivedBy AS request, m.id AS modelId
