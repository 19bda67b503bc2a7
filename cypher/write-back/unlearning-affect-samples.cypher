// Unlearning write-back, step 3 (one batch of samples): the request is AFFECTED-linked to each
// affected Sample; a re-derived one (recompute mode) keeps `key` and `label` and gets
// `rederivedBy`/`rederivedAt`, any other is dropped (`erased: true`, loses `key` and `label`).
// Parameters: $id (request id), $sampleIds (list of Sample ids), $rederived (those of them re-derived).
MATCH (u:UnlearningRequest {id: $id})
UNWIND $sampleIds AS sid
MATCH (s:Sample {id: sid})
MERGE (u)-[:AFFECTED]->(s)
WITH s, s.id IN $rederived AS rederived
FOREACH (_ IN CASE WHEN rederived THEN [1] ELSE [] END |
  SET s.rederivedBy = $id, s.rederivedAt = datetime())
FOREACH (_ IN CASE WHEN rederived THEN [] ELSE [1] END |
  SET s.erased = true
  REMOVE s.key, s.label)
RETURN count(s) AS affected
