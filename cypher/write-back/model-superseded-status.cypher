// Write-back of a model version: the status of the (locked) model to supersede, and the newer
// version that superseded it meanwhile, if any (no row: the model is not in the graph).
// Parameters: $id (the model to supersede).
MATCH (o:Model {id: $id})
OPTIONAL MATCH (newer:Model)-[:SUPERSEDES]->(o)
RETURN o.status AS status, newer.id AS newer
