// Train job: the run's samples that completed unlearning requests dropped (erased) or re-derived,
// with the models whose artifacts hold the re-derived row: the active versions that descend from
// a model the re-deriving request produced (they carry the row forward), then those models (an
// erasure may have shredded the superseded ones' parameters).
// Parameters: $runId.
MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
WHERE s.erased OR s.rederivedBy IS NOT NULL
OPTIONAL MATCH (:UnlearningRequest {id: s.rederivedBy})-[:PRODUCED]->(m:Model)
OPTIONAL MATCH (head:Model {status: 'active'})-[:SUPERSEDES*0..]->(m)
WITH s, collect(DISTINCT head.id) AS heads, collect(DISTINCT m.id) AS produced
RETURN s.id AS id, coalesce(s.erased, false) AS erased, s.rederivedBy AS request,
       heads + [x IN produced WHERE NOT x IN heads] AS modelIds
