// Bench (scale): predictions of a model that an attribution explained (they have INFLUENCED_BY
// edges), whose `trace` is timed.
// Parameters: $modelId (Model id), $limit (integer).
MATCH (:Model {id: $modelId})<-[:BY]-(p:Prediction)
WHERE EXISTS { (p)-[:INFLUENCED_BY]->() }
RETURN p.id AS id
ORDER BY id
LIMIT toInteger($limit)
