// Unlearning write-back, last step: records on the request how many attribution edges it removed.
// Parameters: $id (request id), $scrubbed (map: influences, shares, predictionEdges, predictions).
MATCH (u:UnlearningRequest {id: $id})
SET u.scrubbedInfluences = $scrubbed.influences, u.scrubbedShares = $scrubbed.shares,
    u.scrubbedPredictionEdges = $scrubbed.predictionEdges, u.scrubbedPredictions = $scrubbed.predictions
RETURN u.id AS id
