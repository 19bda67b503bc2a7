// Report: "Which signed statements of the transparency log are about these things?" — every
// Statement whose `ref` is one of the given ids (a run, model versions, an erasure request) or,
// for an erasure request, `<id>#<model line>` (the ref of its per-line `erasure` statements),
// with its log index and when its entry was logged, in log order (seeks of the Statement.ref index).
// Parameters: $refs (list of ids).
CALL () {
  UNWIND $refs AS ref
  MATCH (s:Statement {ref: ref})
  RETURN s
  UNION
  UNWIND $refs AS ref
  MATCH (s:Statement) WHERE s.ref STARTS WITH ref + '#'
  RETURN s
}
OPTIONAL MATCH (s)-[:LOGGED_AS]->(e:LogEntry)
RETURN s.id AS id, s.kind AS kind, s.ref AS ref, s.logIndex AS logIndex, toString(e.at) AS at
ORDER BY s.logIndex
