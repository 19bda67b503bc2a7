// Unlearning: "Which attribution jobs does this request owe?" One row per new model version it
// produced with a re-attribution plan (`reattributeSamples` on the PRODUCED edge, written in the
// line's exactly-once write-back), in the order the lines were updated.
// Parameters: $id (request id).
MATCH (u:UnlearningRequest {id: $id})-[produced:PRODUCED]->(m:Model)
WHERE produced.reattributeSamples IS NOT NULL
RETURN m.id AS modelId, produced.reattributeSamples AS samples
ORDER BY m.trainedAt, m.id
