// Attribution job: is the model to attribute in the graph? (no row: it is not).
// Parameters: $modelId.
MATCH (m:Model {id: $modelId}) RETURN m.id AS id
