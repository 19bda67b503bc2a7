// Bench (erasure speed): removes the models a retrain measurement wrote, with their predictions,
// so that they do not become model lines the next request has to update.
// Parameters: $modelIds (Model ids).
MATCH (m:Model) WHERE m.id IN $modelIds
OPTIONAL MATCH (p:Prediction)-[:BY]->(m)
DETACH DELETE p, m
