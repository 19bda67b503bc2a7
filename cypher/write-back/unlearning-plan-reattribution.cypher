// Unlearning write-back, step 5 (with `reattribute`, after the new version is written): "Which
// predictions of this model line lost their attribution to this request, and for which samples?"
// The samples of the predictions on the line (every version the new one supersedes) that the
// request marked `attributionScrubbedBy`, leaving out dropped (erased) samples; kept on the
// PRODUCED edge as `reattributeSamples` (empty: nothing to re-attribute), the plan of the one
// attribution job the request queues for the new version (a retry reads the same plan).
// Parameters: $id (request id), $modelId (the new Model id).
MATCH (u:UnlearningRequest {id: $id})-[produced:PRODUCED]->(new:Model {id: $modelId})
OPTIONAL MATCH (p:Prediction {attributionScrubbedBy: $id})-[:BY]->(old:Model)
WHERE EXISTS { (new)-[:SUPERSEDES*1..]->(old) }
OPTIONAL MATCH (p)-[:FOR]->(s:Sample)
WHERE s.erased IS NULL OR s.erased = false
WITH produced, collect(DISTINCT s.id) AS samples
SET produced.reattributeSamples = samples
RETURN size(samples) AS samples
