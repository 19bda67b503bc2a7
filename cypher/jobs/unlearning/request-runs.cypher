// The runs whose samples an unlearning request affected (their derived stores are scrubbed after
// it commits).
// Parameters: $id (UnlearningRequest id).
MATCH (:UnlearningRequest {id: $id})-[:AFFECTED]->(:Sample)-[:OUTPUT_OF]->(run:Run)
RETURN DISTINCT run.id AS runId
ORDER BY runId
