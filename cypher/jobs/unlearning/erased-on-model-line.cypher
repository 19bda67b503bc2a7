// Unlearning: "Which of these source rows did earlier requests on this model line already erase?"
// A row counts when it is `erased` and TARGETed by a completed UnlearningRequest whose model
// (one of `previousModelIds`, the versions its lines updated; `previousModelId` for a request
// written before that list was kept, or a repeat) is the target model or one of its ancestors along
// SUPERSEDES. Rows erased only for another model line do not count: that line still has to forget them.
// Parameters: $rowIds (list of SourceRow ids), $modelId (the active target model).
MATCH (m:Model {id: $modelId})
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})<-[:TARGETS]-(u:UnlearningRequest {status: 'complete'})
WHERE r.erased = true
  AND EXISTS { MATCH (m)-[:SUPERSEDES]->{0,}(p:Model) WHERE p.id IN coalesce(u.previousModelIds, [u.previousModelId]) }
RETURN r.id AS rowId, u.id AS requestId, toString(u.completedAt) AS completedAt
ORDER BY completedAt, requestId, rowId
