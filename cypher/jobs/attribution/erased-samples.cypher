// Attribution job: the ids of the run's samples whose data an unlearning request erased (never
// scored again).
// Parameters: $runId.
MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId}) WHERE s.erased RETURN collect(s.id) AS ids
