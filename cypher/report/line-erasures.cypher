// Report: "Which erasures were applied to this model line?" — every UnlearningRequest that PRODUCED
// one of the given model versions or lists one of them in `linesDone`, with its properties (status,
// mode, times, summary counts, certificate as JSON text) and the versions it produced (before →
// after), oldest request first.
// Parameters: $modelIds (list of Model ids: the versions of the line).
MATCH (u:UnlearningRequest)
WHERE EXISTS { MATCH (u)-[:PRODUCED]->(v:Model) WHERE v.id IN $modelIds }
  OR any(l IN coalesce(u.linesDone, []) WHERE l IN $modelIds)
CALL (u) {
  OPTIONAL MATCH (u)-[:PRODUCED]->(after:Model)
  OPTIONAL MATCH (after)-[:SUPERSEDES]->(before:Model)
  WITH after, before ORDER BY after.version
  RETURN collect(CASE WHEN after IS NULL THEN null ELSE {before: before.id, after: after.id, version: after.version} END) AS produced
}
RETURN properties(u) AS request, toString(u.requestedAt) AS requestedAt, toString(u.completedAt) AS completedAt,
  COUNT { (u)-[:TARGETS]->(:SourceRow) } AS targets, produced
ORDER BY u.completedAt, u.id
