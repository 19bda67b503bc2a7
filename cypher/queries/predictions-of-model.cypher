// Auditor: "Which predictions did this model make, and which have an attribution answer yet?"
// Lists the model's Predictions with their sample key and score, those with INFLUENCED_BY edges first.
// Parameters: $modelId (Model id).
MATCH (m:Model {id: $modelId})<-[:BY]-(p:Prediction)-[:FOR]->(s:Sample)
CALL (p) {
  OPTIONAL MATCH (p)-[i:INFLUENCED_BY]->()
  RETURN count(i) AS influences
}
RETURN p.id AS predictionId, s.key AS key, p.score AS score, p.label AS label, influences
ORDER BY influences DESC, p.id
LIMIT 50
